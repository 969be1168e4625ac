package io.ghosthands.activities.store;

/** A job as a duplicate check names it: its id and status. */
public record JobRef(String id, String status) {}
