package io.ml3spark.experiments;

import java.util.List;

/** A meta-test's results and the experiment's own figures of it, computed together once. */
public record MetaTestReport(List<MetaTestResult> results, List<Figure> figures) {
}
