package io.ml3spark.config;

import io.ml3spark.tensor.BackendProvider;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamedServicesTest {
    private static NamedServices<BackendProvider> backends() {
        return NamedServices.load(BackendProvider.class, p -> List.of(p.name()), "backend");
    }

    @Test
    void aLoaderIsScannedOnceAndAnotherLoaderGetsItsOwnCatalog() {
        NamedServices<BackendProvider> first = backends();
        assertSame(first, backends(), "the second lookup on one loader reuses the first scan");
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader other = new URLClassLoader(new URL[0], before)) {
            thread.setContextClassLoader(other);
            NamedServices<BackendProvider> own = backends();
            assertNotSame(first, own);
            assertEquals(first.names(), own.names(), "a child loader sees its parent's services");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void anUnknownNameIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> backends().named("cuda"));
        assertTrue(e.getMessage().startsWith("unknown backend 'cuda', expected one of ["), e.getMessage());
        assertTrue(e.getMessage().contains("jvm") && e.getMessage().contains("nd4j"), e.getMessage());
        assertSame(backends().named("jvm"), backends().named(" JVM "), "names are trimmed and case-blind");
    }
}
