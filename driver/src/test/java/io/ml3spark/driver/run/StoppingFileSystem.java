package io.ml3spark.driver.run;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

import java.io.IOException;
import java.net.URI;

/**
 * The local disk under the scheme {@code stopping:}, as a file system that cannot rename over a
 * target (like an object store), and that stops for good before its (n+1)-th changing step
 * (create, rename, delete), as a killed process would.
 */
public final class StoppingFileSystem extends RawLocalFileSystem {
    public static final String SCHEME = "stopping";
    private static int stepsLeft = Integer.MAX_VALUE;
    private static int steps;

    /** Lets the next {@code n} changing steps happen and stops every one after them. */
    public static synchronized void stopAfter(int n) {
        stepsLeft = n;
        steps = 0;
    }

    public static synchronized void neverStop() {
        stepsLeft = Integer.MAX_VALUE;
    }


    private static synchronized void step(String what) throws IOException {
        if (stepsLeft <= 0) {
            throw new IOException("stopped before " + what);
        }
        stepsLeft--;
        steps++;
    }

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize, short replication,
                                     long blockSize, Progressable progress) throws IOException {
        step("create " + f);
        return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
    }

    @Override
    public FSDataOutputStream create(Path f, boolean overwrite, int bufferSize, short replication, long blockSize,
                                     Progressable progress) throws IOException {
        step("create " + f);
        return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
    }

    @Override
    public boolean rename(Path src, Path dst) throws IOException {
        step("rename " + src);
        return super.rename(src, dst);
    }

    @Override
    public boolean delete(Path p, boolean recursive) throws IOException {
        step("delete " + p);
        return super.delete(p, recursive);
    }
}
