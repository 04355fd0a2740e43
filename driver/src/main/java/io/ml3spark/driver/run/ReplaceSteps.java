package io.ml3spark.driver.run;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

/**
 * The steps of replacing a file by a whole new version on a Hadoop file system. One rename
 * over the target where the file system has it (POSIX rename locally, HDFS's rename with
 * overwrite); else the target moves to {@code old} first and is deleted only once the new
 * version is in place, so there is always one whole version, under the target's name or beside it.
 */
final class ReplaceSteps {
    private ReplaceSteps() {
    }

    static void replace(FileSystem fs, Path tmp, Path target, Path old) throws IOException {
        if (fs instanceof LocalFileSystem local) {
            Files.move(local.pathToFile(tmp).toPath(), local.pathToFile(target).toPath(),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        if (fs instanceof DistributedFileSystem hdfs) {
            hdfs.rename(tmp, target, Options.Rename.OVERWRITE);
            return;
        }
        if (fs.exists(target) && !fs.rename(target, old)) {
            throw new IOException("rename of " + target + " to " + old + " failed");
        }
        finish(fs, tmp, target, old);
    }

    /**
     * The steps after the old version was moved to {@code old}: the new one (whole once
     * {@code old} exists) into place, then {@code old} away; where the new one is missing the
     * old one goes back. Safe to run again after a stop at any point.
     */
    static void finish(FileSystem fs, Path tmp, Path target, Path old) throws IOException {
        if (!fs.exists(target)) {
            Path whole = fs.exists(tmp) ? tmp : old;
            if (!fs.rename(whole, target)) {
                throw new IOException("rename of " + whole + " to " + target + " failed");
            }
        }
        if (fs.exists(old) && !fs.delete(old, false)) {
            throw new IOException("cannot delete " + old);
        }
    }
}
