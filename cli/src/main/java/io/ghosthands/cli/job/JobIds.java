package io.ghosthands.cli.job;

import io.ghosthands.client.GhostHandsClient;
import io.ghosthands.client.ListJobsQuery;
import io.ghosthands.client.Models.AutomationJob;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Resolves what the user typed (a full id or a unique prefix of at least 4 characters) to a job id. */
final class JobIds {

    private static final Pattern FULL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern PREFIX = Pattern.compile("[0-9a-fA-F-]{4,36}");

    private JobIds() {}

    static String resolve(GhostHandsClient client, String given) {
        if (FULL.matcher(given).matches()) {
            return given.toLowerCase();
        }
        if (!PREFIX.matcher(given).matches()) {
            throw new CliFailure(2, "'" + given + "' is not a job id or an id prefix of at least 4 hex characters");
        }
        List<AutomationJob> matches =
                client.listJobs(new ListJobsQuery().idPrefix(given).limit(11)).jobs();
        if (matches.isEmpty()) {
            throw new CliFailure(1, "No job matches '" + given + "'");
        }
        if (matches.size() > 1) {
            throw new CliFailure(
                    1,
                    "'" + given + "' is ambiguous; it matches:\n"
                            + matches.stream()
                                    .limit(10)
                                    .map(j -> "  " + j.id() + "  " + j.status() + "  " + j.jobType() + "  "
                                            + j.targetUrl())
                                    .collect(Collectors.joining("\n"))
                            + (matches.size() > 10 ? "\n  …" : ""));
        }
        return matches.get(0).id();
    }
}
