package io.ml3spark.driver;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.run.NonFiniteResultError;
import io.ml3spark.driver.run.Safetensors;
import io.ml3spark.driver.run.RunDirectoryError;

/** Which failures are the user's to fix (reported as one line) and which are bugs (with a stack trace). */
final class UserErrors {
    private UserErrors() {
    }

    static boolean isUserError(Throwable e) {
        return e instanceof ConfigError || e instanceof RunDirectoryError
                || e instanceof Safetensors.CorruptFileException || e instanceof NonFiniteResultError;
    }

    static int exitCode(Throwable e) {
        return e instanceof ConfigError ? 2 : 1;
    }

    static String describe(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
