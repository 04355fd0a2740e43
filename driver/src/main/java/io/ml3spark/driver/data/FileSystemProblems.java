package io.ml3spark.driver.data;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

import java.net.UnknownHostException;
import java.util.Map;

/** Why a Hadoop file system cannot be used, in one line a user can act on. */
public final class FileSystemProblems {
    private static final Map<String, String> CONNECTORS = Map.of(
            "s3a", "; add hadoop-aws and its AWS SDK bundle, of your Hadoop version (spark-submit --packages "
                    + "org.apache.hadoop:hadoop-aws:<hadoop version>)",
            "gs", "; add Google's gcs-connector (hadoop3 build)",
            "abfs", "; add hadoop-azure of your Hadoop version",
            "abfss", "; add hadoop-azure of your Hadoop version");

    private FileSystemProblems() {
    }

    /**
     * What is wrong with using the file system of {@code p}, given the failure {@code e}: a
     * scheme without its connector on the classpath, a host that does not resolve, or else
     * the failure's own message.
     */
    public static String describe(Path p, Throwable e) {
        String scheme = p.toUri().getScheme();
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UnsupportedFileSystemException
                    || c instanceof ClassNotFoundException && String.valueOf(c.getMessage()).contains("FileSystem")) {
                return "no Hadoop file system for " + scheme + ":// on the classpath (" + p + ")"
                        + CONNECTORS.getOrDefault(scheme, "; put the connector of that file system on the classpath");
            }
            if (c instanceof UnknownHostException) {
                return "cannot reach " + p + ": unknown host " + c.getMessage();
            }
        }
        return "cannot use " + p + ": " + (e.getMessage() != null ? e.getMessage() : e.toString());
    }
}
