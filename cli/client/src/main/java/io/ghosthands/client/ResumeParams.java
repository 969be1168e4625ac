package io.ghosthands.client;

import java.util.Map;

/** {@code POST /valet/resume/{jobId}}: what the human did about a paused job. All optional. */
public class ResumeParams {
    /** {@code resume} (default) or {@code cancel}. */
    public String action;

    public String resolution;
    public String notes;
    public String resolved_by;
    /** {@code manual}, {@code code_entry}, {@code credentials} or {@code skip}. */
    public String resolution_type;
    /** e.g. {@code {code}} or {@code {username, password}}; never stored in clear. */
    public Map<String, Object> resolution_data;

    public static ResumeParams resume() {
        ResumeParams p = new ResumeParams();
        p.action = "resume";
        return p;
    }

    public static ResumeParams cancel() {
        ResumeParams p = new ResumeParams();
        p.action = "cancel";
        return p;
    }
}
