package io.ghosthands.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The jobs a chaos scenario created and the faults it injected. */
final class ChaosTally {
    record Fault(Instant at, List<String> affected) {}

    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    private final List<String> unacknowledged = new CopyOnWriteArrayList<>();
    final List<Fault> faults = new CopyOnWriteArrayList<>();

    void add(String id) {
        acknowledged.add(id);
    }

    void addUnacknowledged(String id) {
        unacknowledged.add(id);
    }

    void fault(Instant at, List<String> affected) {
        faults.add(new Fault(at, affected));
    }

    List<String> ids() {
        return acknowledged;
    }

    List<String> all() {
        List<String> all = new ArrayList<>(acknowledged);
        all.addAll(unacknowledged);
        return all;
    }

    int acknowledged() {
        return acknowledged.size();
    }

    int unacknowledged() {
        return unacknowledged.size();
    }
}
