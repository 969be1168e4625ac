package io.ghosthands.activities.store;

import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reads of {@code gh_job_artifacts}, for the API that serves them ({@link ArtifactStore} writes them). */
public class ArtifactReads {

    /** A stored file: its type, its file name and its bytes. */
    public record Artifact(String contentType, String name, byte[] content) {}

    private final JdbcTemplate jdbc;

    public ArtifactReads(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The artifact, or empty when there is none with this id. */
    public Optional<Artifact> find(UUID id) {
        return jdbc
                .query(
                        "SELECT content_type, name, content FROM gh_job_artifacts WHERE id = ?",
                        (rs, n) -> new Artifact(rs.getString(1), rs.getString(2), rs.getBytes(3)),
                        id)
                .stream()
                .findFirst();
    }
}
