package io.ghosthands.activities.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private folder one worker keeps its browsers' temporary files in: each lane's Chromium gets a
 * sub-folder as its traces folder (where a running trace, its network log and the pages' resources
 * are written), downloads folder and {@code TMPDIR}, and job trace zips pass through it. (Chromium's
 * profile stays where Playwright makes it: a 0700 {@code playwright_chromiumdev_profile-*} in the
 * system temp folder, removed when the browser closes.) Folders are 0700, under
 * {@code <java.io.tmpdir>/gh-workers/w-<pid>-<random>} (its {@code pid} file names the worker),
 * removed when the worker stops.
 *
 * <p>A worker killed with {@code -9} cannot remove its folder, so each worker removes on start the
 * folders of this kind that no live process holds. A worker holds its folder by an OS lock on its
 * {@code lock} file for as long as it runs (the OS drops the lock when the process dies, however it
 * dies), so a folder whose lock can be taken is stale, and one whose lock is held is never touched.
 */
public final class WorkerScratch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerScratch.class);

    /** The prefix of every worker's folder under the root. */
    static final String PREFIX = "w-";

    private static final String LOCK = "lock";
    private static final String PID = "pid";

    // the folders this JVM holds: never opened for a lock check, since closing any descriptor of a
    // file drops every POSIX lock this process has on it (the live worker's lock with it)
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private WorkerScratch(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** The shared parent of all workers' folders on this machine. */
    public static Path defaultRoot() {
        return Path.of(System.getProperty("java.io.tmpdir"), "gh-workers");
    }

    /** Removes stale folders under {@link #defaultRoot()}, then makes and holds this worker's own. */
    public static WorkerScratch open(String workerId) {
        return open(defaultRoot(), workerId);
    }

    /** As {@link #open(String)}, under {@code root}. */
    public static WorkerScratch open(Path root, String workerId) {
        try {
            privateDirectory(root);
            removeStale(root);
            // short: Chromium puts a Unix socket under its TMPDIR, and socket paths end at 107 bytes
            String name = PREFIX + ProcessHandle.current().pid() + "-"
                    + HexFormat.of().formatHex(new SecureRandom().generateSeed(2));
            Path dir = privateDirectory(root.resolve(name));
            FileChannel channel =
                    FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("could not lock the new worker folder " + dir);
            }
            HELD_HERE.add(dir.toAbsolutePath().normalize());
            Files.writeString(
                    dir.resolve(PID),
                    ProcessHandle.current().pid() + " " + safe(workerId) + "\n",
                    StandardCharsets.US_ASCII);
            return new WorkerScratch(dir, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the worker's private temp folder under " + root, e);
        }
    }

    /** This worker's folder. */
    public Path dir() {
        return dir;
    }

    /** Lane {@code index}'s folder (its Chromium's traces folder and {@code TMPDIR}), made on first use. */
    public Path lane(int index) {
        try {
            return privateDirectory(dir.resolve("l" + index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new empty file in this worker's folder, readable by its owner only. */
    public Path newFile(String prefix, String suffix) throws IOException {
        return Files.createTempFile(dir, prefix, suffix, fileMode());
    }

    /** Removes the folder and everything in it, then lets go of it. */
    @Override
    public void close() {
        try {
            deleteTree(dir, true);
        } finally {
            HELD_HERE.remove(dir.toAbsolutePath().normalize());
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException e) {
                log.debug("worker folder lock: {}", e.toString());
            }
            try {
                Files.deleteIfExists(dir.resolve(LOCK));
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                log.debug("worker folder {} not removed: {}", dir, e.toString());
            }
        }
    }

    /**
     * Removes every worker folder under {@code root} whose lock nobody holds, and any without a lock
     * file at all (a worker stopped half-way through removing it) once it is a minute old; returns
     * how many.
     */
    static int removeStale(Path root) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path folder : folders) {
                if (HELD_HERE.contains(folder.toAbsolutePath().normalize())
                        || !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                    continue; // a live worker in this very process (see HELD_HERE), or not a folder
                }
                Path lockFile = folder.resolve(LOCK);
                if (!Files.exists(folder.resolve(PID))
                        && Files.getLastModifiedTime(folder).toMillis() > System.currentTimeMillis() - 60_000) {
                    continue; // being made right now: the pid file comes after the lock is taken
                }
                boolean stale = false;
                if (!Files.exists(lockFile)) {
                    stale = true; // nobody can hold it
                    deleteTree(folder, false);
                } else {
                    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                        FileLock held = channel.tryLock();
                        if (held != null) {
                            // nobody holds it: its worker is gone
                            stale = true;
                            try {
                                deleteTree(folder, true);
                            } finally {
                                held.release();
                            }
                        }
                    } catch (OverlappingFileLockException e) {
                        // held in this process after all
                    } catch (IOException e) {
                        log.debug("worker folder {}: {}", folder, e.toString());
                    }
                }
                if (stale) {
                    Files.deleteIfExists(lockFile);
                    Files.deleteIfExists(folder);
                    removed++;
                    log.info("removed the temp folder {} left by a worker that is gone", folder);
                }
            }
        }
        return removed;
    }

    /** Deletes everything under {@code folder} but the folder itself (and its lock file when asked). */
    static void deleteTree(Path folder, boolean keepLock) {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path lockFile = folder.resolve(LOCK);
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder())
                    .filter(p -> !p.equals(folder) && !(keepLock && p.equals(lockFile)))
                    .forEach(p -> {
                        try {
                            Files.deleteIfExists(p);
                        } catch (IOException e) {
                            log.debug("not deleted: {}: {}", p, e.toString());
                        }
                    });
        } catch (IOException | UncheckedIOException e) {
            log.debug("worker folder {} not fully removed: {}", folder, e.toString());
        }
    }

    /** Makes {@code dir} if missing and (re)sets it to 0700. */
    private static Path privateDirectory(Path dir) throws IOException {
        try {
            Files.createDirectories(dir.getParent());
            if (posix(dir.getParent())) {
                Files.createDirectory(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(dir + " exists and is not a folder");
            }
        }
        if (posix(dir)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return dir;
    }

    private static FileAttribute<?>[] fileMode() {
        return posix(Path.of(System.getProperty("java.io.tmpdir")))
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(
                            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))
                }
                : new FileAttribute<?>[0];
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static String safe(String workerId) {
        String s = workerId == null ? "worker" : workerId.replaceAll("[^A-Za-z0-9_.-]", "_");
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
