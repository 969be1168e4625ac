package io.ghosthands.activities.engine.scrape;

import java.time.LocalDate;

/** Posting fields while they are gathered from the page's sources; null = not found. */
final class PostingFields {
    String title;
    String company;
    String location;
    boolean remote;
    String employmentType;
    SalaryRange salary;
    String description;
    LocalDate postedDate;
    String applyUrl;

    /** Fills every field still missing here from {@code other}. */
    void fillFrom(PostingFields other) {
        if (title == null) {
            title = other.title;
        }
        if (company == null) {
            company = other.company;
        }
        if (location == null) {
            location = other.location;
            remote = remote || other.remote;
        }
        if (employmentType == null) {
            employmentType = other.employmentType;
        }
        if (salary == null) {
            salary = other.salary;
        }
        if (description == null) {
            description = other.description;
        }
        if (postedDate == null) {
            postedDate = other.postedDate;
        }
        if (applyUrl == null) {
            applyUrl = other.applyUrl;
        }
    }
}
