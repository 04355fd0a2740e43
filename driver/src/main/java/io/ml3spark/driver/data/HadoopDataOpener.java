package io.ml3spark.driver.data;

import io.ml3spark.data.DataOpener;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import scala.Tuple2;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Opens the data files a config names on any Hadoop file system (a local path, file:,
 * hdfs://, s3a:// ...); {@code classpath:} resources are read as {@link DataOpener#LOCAL} does.
 * Configs are read on the driver before Spark starts (so a bad key fails fast), so the
 * Hadoop configuration is built the way Spark builds its own: the {@code *-site.xml} files
 * on the classpath, then every {@code spark.hadoop.*} property of the Spark config.
 */
public final class HadoopDataOpener implements DataOpener {
    private static final long serialVersionUID = 1L;
    private static final String SPARK_HADOOP_PREFIX = "spark.hadoop.";

    private final transient Configuration hadoop;

    public HadoopDataOpener(Configuration hadoop) {
        this.hadoop = hadoop;
    }

    /** An opener on the Hadoop configuration of the Spark config this JVM was started with. */
    public static HadoopDataOpener fromSparkConf() {
        Configuration conf = new Configuration();
        for (Tuple2<String, String> kv : new SparkConf().getAllWithPrefix(SPARK_HADOOP_PREFIX)) {
            conf.set(kv._1(), kv._2());
        }
        return new HadoopDataOpener(conf);
    }

    @Override
    public InputStream open(String path) throws IOException {
        if (path.startsWith(CLASSPATH)) {
            return LOCAL.open(path);
        }
        if (hadoop == null) {
            throw new IllegalStateException("a HadoopDataOpener opens files on the driver only, not after serialization");
        }
        Path p = new Path(path);
        org.apache.hadoop.fs.FileSystem fs;
        try {
            fs = p.getFileSystem(hadoop);
        } catch (IOException | RuntimeException e) {
            throw new IOException(FileSystemProblems.describe(p, e), e);
        }
        try {
            return fs.open(p);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException(path + ": no such file");
        }
    }
}
