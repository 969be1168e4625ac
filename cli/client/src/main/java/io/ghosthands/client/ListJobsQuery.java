package io.ghosthands.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Filters of {@code GET /jobs}; every field optional. */
public class ListJobsQuery {
    public List<String> status = new ArrayList<>();
    public String jobType;
    public String targetWorkerId;
    public String workerId;
    /** Jobs targeted at or running on this worker. */
    public String worker;
    /** Jobs whose id starts with this. */
    public String idPrefix;

    public Integer limit;
    public Integer offset;
    /** {@code column:asc|desc}, e.g. {@code created_at:desc}. */
    public String sort;

    public ListJobsQuery status(String... statuses) {
        status.addAll(List.of(statuses));
        return this;
    }

    public ListJobsQuery limit(int limit) {
        this.limit = limit;
        return this;
    }

    public ListJobsQuery offset(int offset) {
        this.offset = offset;
        return this;
    }

    public ListJobsQuery targetWorkerId(String targetWorkerId) {
        this.targetWorkerId = targetWorkerId;
        return this;
    }

    public ListJobsQuery workerId(String workerId) {
        this.workerId = workerId;
        return this;
    }

    public ListJobsQuery worker(String worker) {
        this.worker = worker;
        return this;
    }

    public ListJobsQuery idPrefix(String idPrefix) {
        this.idPrefix = idPrefix;
        return this;
    }

    public ListJobsQuery jobType(String jobType) {
        this.jobType = jobType;
        return this;
    }

    public ListJobsQuery sort(String sort) {
        this.sort = sort;
        return this;
    }

    String toQueryString() {
        List<String> parts = new ArrayList<>();
        if (!status.isEmpty()) {
            parts.add("status=" + enc(String.join(",", status)));
        }
        add(parts, "job_type", jobType);
        add(parts, "target_worker_id", targetWorkerId);
        add(parts, "worker_id", workerId);
        add(parts, "worker", worker);
        add(parts, "id_prefix", idPrefix);
        add(parts, "limit", limit);
        add(parts, "offset", offset);
        add(parts, "sort", sort);
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    private static void add(List<String> parts, String name, Object value) {
        if (value != null) {
            parts.add(name + "=" + enc(String.valueOf(value)));
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
