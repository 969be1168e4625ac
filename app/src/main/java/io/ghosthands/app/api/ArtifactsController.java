package io.ghosthands.app.api;

import io.ghosthands.activities.store.ArtifactReads;
import io.ghosthands.app.jobs.JobService;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/gh/artifacts/{id}}: a screenshot or other file a job produced. */
@RestController
class ArtifactsController {

    private final JobService service;

    ArtifactsController(JobService service) {
        this.service = service;
    }

    @GetMapping("/api/v1/gh/artifacts/{id}")
    ResponseEntity<byte[]> get(@PathVariable String id) {
        UUID artifactId;
        try {
            artifactId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Artifact " + id);
        }
        ArtifactReads.Artifact artifact =
                service.artifact(artifactId).orElseThrow(() -> ApiException.notFound("Artifact " + id));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(artifact.contentType()))
                .cacheControl(CacheControl.noCache().cachePrivate())
                .header("Content-Disposition", "inline; filename=\"" + artifact.name() + "\"")
                .body(artifact.content());
    }
}
