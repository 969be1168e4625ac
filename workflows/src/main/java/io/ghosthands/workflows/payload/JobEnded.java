package io.ghosthands.workflows.payload;

/**
 * What the mirror says of a job that ended without its result, for its callback: whether its
 * application reached the site.
 *
 * @param submittedAt when the final submit was clicked (ISO-8601), or null when it never was
 * @param submissionConfirmed whether the site's confirmation was recorded after that click
 */
public record JobEnded(String submittedAt, boolean submissionConfirmed) {

    /** Whether the application's final submit was clicked. */
    public boolean submitted() {
        return submittedAt != null;
    }
}
