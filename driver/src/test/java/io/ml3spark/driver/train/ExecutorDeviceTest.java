package io.ml3spark.driver.train;

import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutorDeviceTest {
    @Test
    void autoMeansNd4jOnAnAssignedGpuAndJvmWithout() {
        assertEquals("nd4j", ExecutorDevice.backendFor("auto", true).name());
        assertEquals("jvm", ExecutorDevice.backendFor("auto", false).name());
        assertEquals("jvm", ExecutorDevice.backendFor("jvm", true).name(), "jvm ignores GPUs");
        assertEquals("nd4j", ExecutorDevice.backendFor("nd4j", false).name());
        assertTrue(io.ml3spark.driver.config.BackendChoice.names().containsAll(java.util.List.of("jvm", "nd4j", "auto")));
    }

    @Test
    void outsideASparkTaskAndOnTheDriverAutoIsTheJvmBackend() {
        assertSame(JvmBackend.INSTANCE, ExecutorDevice.forCurrentTask("auto"));
        assertSame(JvmBackend.INSTANCE, ExecutorDevice.onDriver("auto"));
    }

    @Test
    void badBackendsAndGpuAddressesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExecutorDevice.backendFor("cuda", true));
        assertTrue(e.getMessage().contains("'cuda'") && e.getMessage().contains("auto"), e.getMessage());
        assertEquals(3, ExecutorDevice.cudaDevice("3"));
        e = assertThrows(IllegalArgumentException.class, () -> ExecutorDevice.cudaDevice("GPU-8c3e"));
        assertTrue(e.getMessage().contains("'GPU-8c3e'"), e.getMessage());
    }
}
