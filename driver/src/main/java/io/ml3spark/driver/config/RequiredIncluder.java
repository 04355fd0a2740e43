package io.ml3spark.driver.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseable;

/**
 * Makes every {@code include "file"} of a config required: HOCON ignores a missing include,
 * which silently drops the settings a user meant to inherit; here it is an error naming it.
 */
final class RequiredIncluder implements ConfigIncluder {
    @Override
    public ConfigIncluder withFallback(ConfigIncluder fallback) {
        return this;
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
        ConfigParseable included = context.relativeTo(what);
        if (included == null) {
            throw new ConfigError("include \"" + what + "\": cannot be resolved relative to the including file");
        }
        try {
            return included.parse(context.parseOptions().setAllowMissing(false));
        } catch (ConfigException.IO e) {
            throw new ConfigError("include \"" + what + "\" (" + included.origin().description() + "): file not found");
        }
    }
}
