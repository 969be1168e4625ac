package io.ghosthands.activities.store;

import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Files a job produced (screenshots now; traces later), kept in {@code gh_job_artifacts} so any API
 * node can serve them. Links come from {@link ArtifactLinks}.
 */
public class ArtifactStore {

    private final JdbcTemplate jdbc;
    private final ArtifactLinks links;

    public ArtifactStore(DataSource dataSource, ArtifactLinks links) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.links = links;
    }

    /** Stores the bytes and returns the artifact's id. */
    public UUID save(UUID jobId, String kind, String name, String contentType, byte[] content) {
        return save(UUID.randomUUID(), jobId, kind, name, contentType, content);
    }

    /** As {@link #save(UUID, String, String, String, byte[])}, under an id the caller chose (and may link to already). */
    public UUID save(UUID id, UUID jobId, String kind, String name, String contentType, byte[] content) {
        jdbc.update(
                "INSERT INTO gh_job_artifacts (id, job_id, kind, name, content_type, size_bytes, content)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING", // a retried save is one row
                id,
                jobId,
                kind,
                name,
                contentType,
                content.length,
                content);
        return id;
    }

    /** The URL at which the API serves the artifact. */
    public String url(UUID artifactId) {
        return links.url(artifactId);
    }
}
