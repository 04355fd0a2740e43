package io.ml3spark.tensor;

/** Where a backend can compute: the CPU of its process, or a GPU assigned to the calling thread's task. */
public enum Device {
    CPU, GPU
}
