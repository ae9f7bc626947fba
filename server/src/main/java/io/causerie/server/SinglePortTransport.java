package io.causerie.server;

/** The socket side of the single-port relay: one UDP port and the thread that owns it and the core. */
interface SinglePortTransport extends AutoCloseable {
  /** The bound port. */
  int port();

  /** Runs {@code task} on the relay thread, after the tasks given before it. */
  void execute(Runnable task);

  /** Exceptions that escaped the relay thread (each is logged). */
  long failures();

  /** What reads and writes the port, for the log and the metrics ("epoll recvmmsg/sendmmsg" or "nio"). */
  String describe();

  @Override
  void close();
}
