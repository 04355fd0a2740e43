package io.ml3spark.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens a data file named in a config. This module has no Hadoop dependency: the Spark
 * driver can pass an opener backed by a Hadoop {@code FileSystem} (hdfs://, s3a://, ...);
 * {@link #LOCAL} reads classpath resources and local files.
 */
@FunctionalInterface
public interface DataOpener extends Serializable {
    String CLASSPATH = "classpath:";

    InputStream open(String path) throws IOException;

    /** {@code classpath:<resource>}, a {@code file:} URI, or a local path. */
    DataOpener LOCAL = path -> {
        if (path.startsWith(CLASSPATH)) {
            String resource = path.substring(CLASSPATH.length());
            InputStream in = DataOpener.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new FileNotFoundException(path + ": no such resource on the classpath");
            }
            return in;
        }
        Path file = path.startsWith("file:") ? Path.of(URI.create(path)) : Path.of(path);
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new FileNotFoundException(path + ": no such file");
        }
    };
}
