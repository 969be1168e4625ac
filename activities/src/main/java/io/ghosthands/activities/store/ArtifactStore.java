package io.ghosthands.activities.store;

import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Files a job produced (screenshots now; traces later), kept in {@code gh_job_artifacts} so any API
 * node can serve them. Links point at the API's artifact route under {@code publicUrl}.
 */
public class ArtifactStore {

  /** The API path that serves an artifact, followed by its id. */
  public static final String ROUTE = "/api/v1/gh/artifacts/";

  private final JdbcTemplate jdbc;
  private final Supplier<String> publicUrl;

  /**
   * @param publicUrl the API's base URL as clients reach it ({@code GH_PUBLIC_URL})
   */
  public ArtifactStore(DataSource dataSource, Supplier<String> publicUrl) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.publicUrl = publicUrl;
  }

  /** Stores the bytes and returns the artifact's id. */
  public UUID save(UUID jobId, String kind, String name, String contentType, byte[] content) {
    UUID id = UUID.randomUUID();
    jdbc.update(
        "INSERT INTO gh_job_artifacts (id, job_id, kind, name, content_type, size_bytes, content)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
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
    String base = publicUrl.get();
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + ROUTE + artifactId;
  }
}
