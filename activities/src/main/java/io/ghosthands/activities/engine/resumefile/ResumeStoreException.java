package io.ghosthands.activities.engine.resumefile;

/**
 * A {@link ResumeStore} could not deliver an object. The message is a short, safe detail (an HTTP
 * status, a store error code, an exception class name): stores never put a credential or a raw
 * server message that might echo one into it.
 */
public final class ResumeStoreException extends Exception {

    /** Why the object could not be had; each reads as the end of "could not be fetched: …". */
    public enum Reason {
        NOT_FOUND("not found"),
        ACCESS_DENIED("access denied"),
        TOO_LARGE("too large"),
        UNREACHABLE("store unreachable"),
        FAILED("store error");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** The reason as people read it. */
        public String text() {
            return text;
        }
    }

    private final Reason reason;

    public ResumeStoreException(Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
