package io.ml3spark.driver.run;

import io.ml3spark.driver.data.FileSystemProblems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A run's output directory on any Hadoop file system (a local path, file://, hdfs://,
 * s3a:// ...). Every file is written whole to a temporary name and renamed into place,
 * so a reader never sees half a file.
 */
public final class RunDirectory {
    private final FileSystem fs;
    private final Path root;
    private final boolean created;

    private RunDirectory(FileSystem fs, Path root, boolean created) {
        this.fs = fs;
        this.root = root;
        this.created = created;
    }

    /** Opens (creating if needed) the directory at {@code uri}; fails with the path if it cannot. */
    public static RunDirectory open(String uri, Configuration hadoop) {
        Path root = new Path(uri);
        try {
            FileSystem fs = fileSystem(root, hadoop);
            // The local file system would add a hidden .crc beside every file.
            fs.setWriteChecksum(false);
            boolean existed = fs.exists(root);
            if (existed && !fs.getFileStatus(root).isDirectory()) {
                throw new RunDirectoryError("output path " + uri + " exists and is not a directory");
            }
            if (!fs.mkdirs(root)) {
                throw new RunDirectoryError("cannot create output directory " + uri);
            }
            return new RunDirectory(fs, fs.makeQualified(root), !existed);
        } catch (IOException e) {
            throw new RunDirectoryError("cannot use output directory " + uri + ": " + e.getMessage());
        }
    }

    /** Opens the existing directory at {@code uri} (a run to resume); fails with the path if there is none. */
    public static RunDirectory openExisting(String uri, Configuration hadoop) {
        Path root = new Path(uri);
        try {
            FileSystem fs = fileSystem(root, hadoop);
            fs.setWriteChecksum(false);
            if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
                throw new RunDirectoryError("run directory not found: " + uri);
            }
            return new RunDirectory(fs, fs.makeQualified(root), false);
        } catch (IOException e) {
            throw new RunDirectoryError("cannot use run directory " + uri + ": " + e.getMessage());
        }
    }

    /** Whether {@link #open} created this directory (it did not exist before). */
    public boolean created() {
        return created;
    }

    public String uri() {
        return root.toString();
    }

    public Path path(String name) {
        return new Path(root, name);
    }

    /**
     * Replaces {@code name} with {@code bytes} atomically: written whole to {@code .NAME.tmp},
     * then renamed over the target in one step where the file system can (local, HDFS); elsewhere
     * (object stores) the old version is moved to {@code .NAME.old} and removed only once the new
     * one is in place, so a stop at any point leaves one whole version that
     * {@link #recoverInterruptedReplaces} restores.
     */
    public void write(String name, byte[] bytes) {
        replace(name, bytes);
        String top = name.contains("/") ? name.substring(0, name.indexOf('/')) : name;
        if (!top.startsWith(".") && written().add(top)) {
            replace(WRITTEN, (String.join("\n", written) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The entries of this directory that ml3-spark wrote, as {@value #WRITTEN} lists them, that
     * are still there; for a directory written before that list existed, the names ml3-spark
     * has always used that are there.
     */
    public List<String> entriesWrittenByMl3() {
        List<String> visible = visibleEntries();
        if (!exists(WRITTEN)) {
            return visible.stream().filter(n -> LEGACY_NAMES.contains(n) || n.matches("meta-test-.*\\.png")).toList();
        }
        return visible.stream().filter(written()::contains).toList();
    }

    /** Forgets what {@link #entriesWrittenByMl3} lists: they were removed. */
    public void forgetWritten() {
        written = new TreeSet<>();
        delete(WRITTEN);
    }

    /** The file listing the top-level entries ml3-spark wrote here, so that only they are ever removed. */
    public static final String WRITTEN = ".ml3-written";
    private static final Set<String> LEGACY_NAMES = Set.of(RunRecord.FILE, "config.conf", "metrics.csv", "checkpoints",
            "learned-loss.safetensors", EvaluationReport.FILE, "meta-train.png", "dynamics", "dynamics.csv");
    private static final int MAX_WRITTEN_BYTES = 1 << 20;
    private Set<String> written;

    private Set<String> written() {
        if (written == null) {
            written = new TreeSet<>();
            if (exists(WRITTEN) && length(WRITTEN) <= MAX_WRITTEN_BYTES) {
                for (String line : new String(read(WRITTEN), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isEmpty() && !line.startsWith(".") && !line.contains("/") && line.length() <= 255) {
                        written.add(line);
                    }
                }
            }
        }
        return written;
    }

    private long length(String name) {
        try {
            return fs.getFileStatus(path(name)).getLen();
        } catch (IOException e) {
            throw new RunDirectoryError("cannot stat " + path(name) + ": " + e.getMessage());
        }
    }

    private void replace(String name, byte[] bytes) {
        Path target = path(name);
        Path tmp = sibling(target, TMP);
        try {
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
            }
        } catch (IOException | FSError e) {
            // Hadoop's local file system reports a full disk as an Error, not an IOException.
            String why = e instanceof FSError && e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            deleteQuietly(tmp);
            throw new RunDirectoryError("cannot write " + target + ": " + why);
        }
        try {
            ReplaceSteps.replace(fs, tmp, target, sibling(target, OLD));
        } catch (IOException e) {
            throw new RunDirectoryError("cannot write " + target + ": " + e.getMessage());
        }
    }

    /** Removes what a failed write left, if it can: the target is as it was. */
    private void deleteQuietly(Path p) {
        try {
            fs.delete(p, false);
        } catch (IOException ignored) {
            // the write's own error says what went wrong
        }
    }

    private static final String TMP = ".tmp";
    private static final String OLD = ".old";

    private static Path sibling(Path target, String suffix) {
        return new Path(target.getParent(), "." + target.getName() + suffix);
    }

    /**
     * Finishes or undoes the replaces a stop cut short, in this directory and its
     * subdirectories: a target whose old version is still beside it loses that copy; a target
     * moved aside gets the new version if it was written whole, else the old one back. A
     * temporary checkpoint without its target is removed (noted on {@code out}): checkpoints are
     * only ever created, so it is a first write cut short, and the run recomputes it from the
     * checkpoint before. Any other temporary file without its target is refused with advice: it
     * may be a whole file (a replace by a version before atomic replaces) or half of a first
     * write, and only a person can tell.
     */
    public void recoverInterruptedReplaces(PrintStream out) {
        recoverIn(root, null);
        try {
            for (FileStatus st : fs.listStatus(root)) {
                String name = st.getPath().getName();
                if (st.isDirectory() && !name.startsWith(".")) {
                    recoverIn(st.getPath(), name.equals(Checkpoints.DIR) ? out : null);
                }
            }
        } catch (IOException e) {
            throw new RunDirectoryError("cannot list " + root + ": " + e.getMessage());
        }
    }

    /** Recovers the replaces in {@code dir}; where {@code discardNotes} is given, its files are only ever created. */
    private void recoverIn(Path dir, PrintStream discardNotes) {
        try {
            for (FileStatus st : fs.listStatus(dir)) {
                String n = st.getPath().getName();
                if (!st.isFile() || !n.startsWith(".")) {
                    continue;
                }
                if (n.endsWith(OLD)) {
                    Path target = new Path(dir, n.substring(1, n.length() - OLD.length()));
                    ReplaceSteps.finish(fs, sibling(target, TMP), target, st.getPath());
                }
            }
            for (FileStatus st : fs.listStatus(dir)) {
                String n = st.getPath().getName();
                if (st.isFile() && n.startsWith(".") && n.endsWith(TMP) && n.length() > 1 + TMP.length()) {
                    Path target = new Path(dir, n.substring(1, n.length() - TMP.length()));
                    if (fs.exists(target)) {
                        fs.delete(st.getPath(), false);
                    } else if (discardNotes != null) {
                        fs.delete(st.getPath(), false);
                        discardNotes.printf("[train] removed %s/%s: the write of %s was stopped before it finished; "
                                + "the run computes it again%n", dir.getName(), n, target.getName());
                    } else {
                        throw new RunDirectoryError(target + " is missing and " + st.getPath() + " holds a write that was "
                                + "stopped before it finished; if that file is whole, rename it to " + target.getName()
                                + ", else delete it; then run the command again (nothing else was changed)");
                    }
                }
            }
        } catch (IOException e) {
            throw new RunDirectoryError("cannot recover the files in " + dir + ": " + e.getMessage());
        }
    }

    public void write(String name, String text) {
        write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    public boolean exists(String name) {
        try {
            return fs.exists(path(name));
        } catch (IOException e) {
            throw new RunDirectoryError("cannot check " + path(name) + ": " + e.getMessage());
        }
    }

    /** Reads a file of this directory. */
    public byte[] read(String name) {
        return read(path(name).toString(), fs.getConf());
    }

    /** Names of the files in subdirectory {@code sub} ending in {@code suffix}, sorted; empty if it does not exist. */
    public List<String> list(String sub, String suffix) {
        if (!exists(sub)) {
            return new ArrayList<>();
        }
        return visibleNames(path(sub), st -> st.isFile() && st.getPath().getName().endsWith(suffix));
    }

    public void delete(String name) {
        try {
            fs.delete(path(name), false);
        } catch (IOException e) {
            throw new RunDirectoryError("cannot delete " + path(name) + ": " + e.getMessage());
        }
    }

    /** Names of the entries (files and subdirectories) directly in this directory that do not start with '.', sorted. */
    public List<String> visibleEntries() {
        return visibleNames(root, st -> true);
    }

    /** Names in {@code dir} that do not start with '.' and whose status passes {@code keep}, sorted. */
    private List<String> visibleNames(Path dir, java.util.function.Predicate<FileStatus> keep) {
        List<String> names = new ArrayList<>();
        try {
            for (FileStatus st : fs.listStatus(dir)) {
                if (!st.getPath().getName().startsWith(".") && keep.test(st)) {
                    names.add(st.getPath().getName());
                }
            }
        } catch (IOException e) {
            throw new RunDirectoryError("cannot list " + dir + ": " + e.getMessage());
        }
        Collections.sort(names);
        return names;
    }

    /** Deletes a file or a whole subdirectory of this directory. */
    public void deleteRecursively(String name) {
        try {
            fs.delete(path(name), true);
        } catch (IOException e) {
            throw new RunDirectoryError("cannot delete " + path(name) + ": " + e.getMessage());
        }
    }

    /**
     * Creates {@code name} holding {@code bytes} only if no such file exists, atomically: of
     * two processes racing, exactly one succeeds. Returns false if the file existed.
     */
    public boolean createExclusively(String name, byte[] bytes) {
        Path target = path(name);
        try {
            if (fs instanceof LocalFileSystem local) {
                // Hadoop's local create(overwrite = false) checks and creates in two steps; O_EXCL does it in one.
                java.nio.file.Path file = local.pathToFile(target).toPath();
                try {
                    java.nio.file.Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    return false;
                }
                return true;
            }
            try (FSDataOutputStream out = fs.create(target, false)) {
                out.write(bytes);
            }
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (e.getClass().getSimpleName().contains("AlreadyExists") || exists(name)) {
                return false;
            }
            throw new RunDirectoryError("cannot create " + target + ": " + e.getMessage());
        }
    }

    /** When {@code name} was last modified, in milliseconds since the epoch. */
    public long modificationTime(String name) {
        try {
            return fs.getFileStatus(path(name)).getModificationTime();
        } catch (IOException e) {
            throw new RunDirectoryError("cannot stat " + path(name) + ": " + e.getMessage());
        }
    }

    /** Sets {@code name}'s modification time to now. */
    public void touch(String name) {
        try {
            fs.setTimes(path(name), System.currentTimeMillis(), -1);
        } catch (IOException e) {
            throw new RunDirectoryError("cannot touch " + path(name) + ": " + e.getMessage());
        }
    }

    /** Removes this directory itself (with everything in it). */
    public void remove() {
        try {
            fs.delete(root, true);
        } catch (IOException e) {
            throw new RunDirectoryError("cannot remove " + root + ": " + e.getMessage());
        }
    }

    /** Reads a whole file given by its full URI (in this run directory or elsewhere). */
    public static byte[] read(String uri, Configuration hadoop) {
        Path p = new Path(uri);
        try {
            FileSystem fs = fileSystem(p, hadoop);
            if (!fs.exists(p)) {
                throw new RunDirectoryError("file not found: " + uri);
            }
            long len = fs.getFileStatus(p).getLen();
            if (len > Integer.MAX_VALUE) {
                throw new RunDirectoryError("file too large: " + uri + " (" + len + " bytes)");
            }
            byte[] bytes = new byte[(int) len];
            try (FSDataInputStream in = fs.open(p)) {
                in.readFully(bytes);
            }
            return bytes;
        } catch (IOException e) {
            throw new RunDirectoryError("cannot read " + uri + ": " + e.getMessage());
        }
    }

    /** The file system of {@code p}; one that cannot be used is a {@link RunDirectoryError} saying why. */
    public static FileSystem fileSystem(Path p, Configuration hadoop) {
        try {
            return p.getFileSystem(hadoop);
        } catch (IOException | RuntimeException e) {
            throw new RunDirectoryError(FileSystemProblems.describe(p, e));
        }
    }

    /** The directory holding {@code fileUri}. */
    public static String parentOf(String fileUri) {
        Path parent = new Path(fileUri).getParent();
        return parent == null ? "." : parent.toString();
    }
}
