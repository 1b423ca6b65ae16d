package vn.cds.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** One shuffle partition per ~16 MB of exports, 2 to 64, rounded up to a multiple of the cores. */
class ShufflePartitionsTest {
  private static final long MB = 1L << 20;

  @Test
  void roundsUpToAMultipleOfTheCores() {
    assertEquals(2, Pipeline.shufflePartitions(1_500_000, 2)); // a province
    assertEquals(4, Pipeline.shufflePartitions(61 * MB, 2)); // national exports on 2 cores: 3 -> 4
    assertEquals(3, Pipeline.shufflePartitions(61 * MB, 1));
    assertEquals(8, Pipeline.shufflePartitions(61 * MB, 8));
    assertEquals(64, Pipeline.shufflePartitions(4096 * MB, 2)); // capped
    assertEquals(96, Pipeline.shufflePartitions(4096 * MB, 96)); // at least one per core on a big cluster
  }
}
