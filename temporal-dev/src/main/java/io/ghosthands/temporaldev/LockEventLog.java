package io.ghosthands.temporaldev;

import io.temporal.internal.testservice.TestServicesStarter;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.ListIterator;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the test server's record of time-skipping locks, which never forgets and is searched from
 * its oldest entry on every state change.
 *
 * <p>The SDK's {@code SelfAdvancingTimerImpl} keeps a {@code LinkedList} of lock and unlock events
 * "for debugging purposes only": every workflow update adds a lock event and removes it again by a
 * linear search from the head, while every workflow-task completion and activity schedule appends
 * an event that is never removed. On a long-lived embedded server the list grows by a few entries
 * per job, for ever, and each start, signal and completion walks all of it (a tenth of the CPU of a
 * create-throughput run after some thousand jobs, and a slow memory leak).
 *
 * <p>This log keeps what the list is for: the unlock through a handle must find its own lock event,
 * or the server reports unbalanced locking. Lock events are held weakly, by identity: an event that
 * a live handle refers to stays and is removed in constant time; one whose handle was thrown away
 * (the server's fire-and-forget locks) can never be removed by anyone and is dropped by the garbage
 * collector. Unlock events, which nothing ever looks up, are only counted. Every access happens
 * under the timer's own lock, as the list's did.
 */
final class LockEventLog extends LinkedList<Object> {

    private static final Logger log = LoggerFactory.getLogger(LockEventLog.class);

    private final Map<Object, Boolean> outstanding = new WeakHashMap<>();
    private long unlocks;

    /**
     * Swaps the log into the server's timer, carrying over the events already recorded (the server
     * takes locks while it starts). Returns false, leaving the server as it was, if this SDK's test
     * server is not shaped as expected.
     */
    static boolean install(TestServicesStarter services) {
        try {
            Object timer = field(services.getClass(), "selfAdvancingTimer").get(services);
            Field events = field(timer.getClass(), "lockEvents");
            Lock lock = (Lock) field(timer.getClass(), "lock").get(timer);
            lock.lock();
            try {
                if (!(events.get(timer) instanceof LinkedList<?> old)) {
                    return false;
                }
                LockEventLog replacement = new LockEventLog();
                for (Object event : old) {
                    replacement.add(event);
                }
                events.set(timer, replacement);
                return true;
            } finally {
                lock.unlock();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("embedded Temporal: left the test server's lock-event list as it is ({})", e.toString());
            return false;
        }
    }

    /** The lock log installed in {@code services}' timer, or null. For tests. */
    static LockEventLog of(TestServicesStarter services) throws ReflectiveOperationException {
        Object timer = field(services.getClass(), "selfAdvancingTimer").get(services);
        Object events = field(timer.getClass(), "lockEvents").get(timer);
        return events instanceof LockEventLog installed ? installed : null;
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    @Override
    public boolean add(Object event) {
        if (isUnlock(event)) {
            unlocks++;
        } else {
            outstanding.put(event, Boolean.TRUE);
        }
        return true;
    }

    @Override
    public boolean remove(Object event) {
        return outstanding.remove(event) != null;
    }

    /** Lock events still referenced by a handle (plus any not yet collected). */
    @Override
    public int size() {
        return outstanding.size();
    }

    /** How many unlock events were recorded (and not kept). */
    long unlocks() {
        return unlocks;
    }

    @Override
    public Iterator<Object> iterator() {
        return Collections.unmodifiableSet(outstanding.keySet()).iterator();
    }

    @Override
    public ListIterator<Object> listIterator(int index) {
        return Collections.unmodifiableList(new ArrayList<>(outstanding.keySet()))
                .listIterator(index);
    }

    @Override
    public void clear() {
        outstanding.clear();
    }

    private Field lockType;

    private boolean isUnlock(Object event) {
        try {
            if (lockType == null || lockType.getDeclaringClass() != event.getClass()) {
                lockType = field(event.getClass(), "lockType");
            }
            return String.valueOf(lockType.get(event)).equals("U");
        } catch (ReflectiveOperationException e) {
            return false; // kept weakly like a lock event: no harm
        }
    }
}
