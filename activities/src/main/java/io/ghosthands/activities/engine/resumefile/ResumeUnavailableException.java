package io.ghosthands.activities.engine.resumefile;

import io.ghosthands.workflows.ErrorCode;

/**
 * The job names a résumé that cannot be used: unreachable, missing, too large, not a
 * PDF/DOC/DOCX, or a reference this worker cannot follow. The job should fail with
 * {@link #errorCode()} ({@code resume_unavailable}) and {@link #getMessage()}, which is written for
 * people and never contains a download URL's query string (pre-signed URLs carry credentials there).
 */
public class ResumeUnavailableException extends RuntimeException {

    private final String source;

    /**
     * @param source which reference failed: {@code download_url}, {@code storage_path}, {@code s3_key}
     *     or {@code resume_path}
     */
    public ResumeUnavailableException(String source, String message) {
        super(message);
        this.source = source;
    }

    public ResumeUnavailableException(String source, String message, Throwable cause) {
        super(message, cause);
        this.source = source;
    }

    /** The wire error code, {@code resume_unavailable}. */
    public String errorCode() {
        return ErrorCode.RESUME_UNAVAILABLE.code();
    }

    /** Which reference failed, for {@code error_details}. */
    public String source() {
        return source;
    }
}
