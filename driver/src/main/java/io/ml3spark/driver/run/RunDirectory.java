package io.ml3spark.driver.run;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A run's output directory on any Hadoop file system (a local path, file://, hdfs://,
 * s3a:// ...). Every file is written whole to a temporary name and renamed into place,
 * so a reader never sees half a file.
 */
public final class RunDirectory {
    private final FileSystem fs;
    private final Path root;

    private RunDirectory(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    /** Opens (creating if needed) the directory at {@code uri}; fails with the path if it cannot. */
    public static RunDirectory open(String uri, Configuration hadoop) {
        Path root = new Path(uri);
        try {
            FileSystem fs = root.getFileSystem(hadoop);
            // The local file system would add a hidden .crc beside every file.
            fs.setWriteChecksum(false);
            if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
                throw new RunDirectoryError("output path " + uri + " exists and is not a directory");
            }
            if (!fs.mkdirs(root)) {
                throw new RunDirectoryError("cannot create output directory " + uri);
            }
            return new RunDirectory(fs, fs.makeQualified(root));
        } catch (IOException e) {
            throw new RunDirectoryError("cannot use output directory " + uri + ": " + e.getMessage());
        }
    }

    public String uri() {
        return root.toString();
    }

    public Path path(String name) {
        return new Path(root, name);
    }

    public void write(String name, byte[] bytes) {
        Path target = path(name);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        try {
            try (FSDataOutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename of " + tmp + " to " + target + " failed");
            }
        } catch (IOException e) {
            throw new RunDirectoryError("cannot write " + target + ": " + e.getMessage());
        }
    }

    public void write(String name, String text) {
        write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    public boolean exists(String name) {
        try {
            return fs.exists(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a file of this directory. */
    public byte[] read(String name) {
        return read(path(name).toString(), fs.getConf());
    }

    /** Names of the files in subdirectory {@code sub} ending in {@code suffix}, sorted; empty if it does not exist. */
    public List<String> list(String sub, String suffix) {
        List<String> names = new ArrayList<>();
        try {
            if (!fs.exists(path(sub))) {
                return names;
            }
            for (FileStatus st : fs.listStatus(path(sub))) {
                String n = st.getPath().getName();
                if (st.isFile() && n.endsWith(suffix) && !n.startsWith(".")) {
                    names.add(n);
                }
            }
        } catch (IOException e) {
            throw new RunDirectoryError("cannot list " + path(sub) + ": " + e.getMessage());
        }
        Collections.sort(names);
        return names;
    }

    public void delete(String name) {
        try {
            fs.delete(path(name), false);
        } catch (IOException e) {
            throw new RunDirectoryError("cannot delete " + path(name) + ": " + e.getMessage());
        }
    }

    /** Reads a whole file given by its full URI (in this run directory or elsewhere). */
    public static byte[] read(String uri, Configuration hadoop) {
        Path p = new Path(uri);
        try {
            FileSystem fs = p.getFileSystem(hadoop);
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

    /** The directory holding {@code fileUri}. */
    public static String parentOf(String fileUri) {
        Path parent = new Path(fileUri).getParent();
        return parent == null ? "." : parent.toString();
    }
}
