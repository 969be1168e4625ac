package io.ghosthands.app.jobs;

/** A job with the same idempotency key exists already. */
public class DuplicateJobException extends RuntimeException {

  private final String existingJobId;
  private final String existingStatus;

  public DuplicateJobException(String existingJobId, String existingStatus) {
    super("A job with this idempotency_key already exists: " + existingJobId);
    this.existingJobId = existingJobId;
    this.existingStatus = existingStatus;
  }

  public String existingJobId() {
    return existingJobId;
  }

  public String existingStatus() {
    return existingStatus;
  }
}
