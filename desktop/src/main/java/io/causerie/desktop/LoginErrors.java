package io.causerie.desktop;

import io.causerie.client.SignInException;
import io.causerie.protocol.ErrorCode;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The login screen's words: what is missing before signing in, and what went wrong after. Pure. */
public final class LoginErrors {
  private LoginErrors() {}

  /** What keeps the form from being sent, or null when it is complete. */
  public static String validate(String server, String user, char[] password) {
    if (server == null || server.isBlank()) {
      return "Enter the server's address, for example voip.example.org or 192.168.1.10:6100.";
    }
    if (user == null || user.isBlank()) {
      return "Enter your user name.";
    }
    if (password == null || password.length == 0) {
      return "Enter your password.";
    }
    return null;
  }

  /**
   * The sentence for a failed sign-in.
   *
   * @param failure what the sign-in attempt failed with
   * @param serverTried the address as the user gave it
   * @param resolved the address it resolved to (host:port), or null when it did not resolve
   */
  public static String describe(Throwable failure, String serverTried, String resolved) {
    Throwable t = failure;
    while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof SignInException s) {
      if (s.serverKeyChanged()) {
        return "This is not the server you signed in to before: " + s.getMessage()
            + ". Do not sign in unless your administrator tells you the server's key was changed.";
      }
      if (s.code() == null) {
        return "Could not reach the server at " + (resolved != null ? resolved : serverTried)
            + ". Check the address and that the server is running.";
      }
      if (s.code() == ErrorCode.AUTH_FAILED) {
        return "Wrong user name or password.";
      }
      if (s.code() == ErrorCode.LOCKED_OUT) {
        return "Too many failed sign-ins: this account is locked for now. Try again later.";
      }
      String text = s.getMessage() == null || s.getMessage().isBlank() ? s.code().defaultText() : s.getMessage();
      return "The server refused the sign-in: " + text + ".";
    }
    if (t instanceof UnknownHostException) {
      return "Cannot find the server \"" + serverTried + "\": unknown host name.";
    }
    if (t instanceof IllegalArgumentException) {
      return Formats.sentence(t.getMessage()) + ".";
    }
    if (t instanceof java.io.IOException) {
      return "Cannot open a local network port: " + t.getMessage() + ".";
    }
    return "Sign-in failed: " + t + ".";
  }
}
