package io.causerie.media.quality;

/** The one exception thrown for bytes that are not a well-formed {@link QualityReport}. */
public final class QualityReportFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public QualityReportFormatException(String message) {
    super(message);
  }
}
