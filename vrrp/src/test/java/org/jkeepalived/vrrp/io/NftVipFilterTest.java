package org.jkeepalived.vrrp.io;

import static org.jkeepalived.vrrp.io.NftBatchTest.vip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter's bookkeeping over a fake nft: what is run when, and that failures never throw. */
class NftVipFilterTest {
    static final class FakeNft implements NftVipFilter.Runner {
        final List<String> batches = new ArrayList<>();
        boolean installed = true;
        String refuse;

        @Override
        public void run(String batch) throws IOException {
            batches.add(batch);
            if (refuse != null) {
                throw new IOException(refuse);
            }
        }

        @Override
        public boolean available() {
            return installed;
        }
    }

    final FakeNft nft = new FakeNft();
    final NftVipFilter f = new NftVipFilter(nft);

    @Test
    void theTableHoldsTheUnionOfWhatEveryInstanceBlocks() throws Exception {
        f.block("VI_1", List.of(vip("10.0.0.100/24", "eth0")));
        f.block("VI_2", List.of(vip("10.0.0.200/24", "eth0")));
        assertEquals(2, nft.batches.size());
        assertTrue(nft.batches.get(1).contains("elements = { 10.0.0.100, 10.0.0.200 }"), nft.batches.get(1));
        // the same set again costs no nft run
        f.block("VI_1", List.of(vip("10.0.0.100/24", "eth0")));
        assertEquals(2, nft.batches.size());
        f.unblock("VI_1");
        assertTrue(nft.batches.get(2).contains("elements = { 10.0.0.200 }"), nft.batches.get(2));
        // unblocking what is not blocked runs nothing
        f.unblock("VI_1");
        f.unblock("VI_9");
        assertEquals(3, nft.batches.size());
        f.unblock("VI_2");
        assertEquals(NftBatch.delete("jkeepalived"), nft.batches.get(3));
        assertEquals(Map.of(), f.blocked());
    }

    @Test
    void clearForgetsEverythingAndDeletesTheTable() throws Exception {
        f.block("VI_1", List.of(vip("10.0.0.100/24", "eth0")));
        f.clear();
        assertEquals(NftBatch.delete("jkeepalived"), nft.batches.get(1));
        assertEquals(Map.of(), f.blocked());
        f.unblock("VI_1");
        assertEquals(2, nft.batches.size());
    }

    @Test
    void aRefusedOrMissingNftIsLoggedNotThrownAndRetriedOnTheNextBlock() throws Exception {
        nft.refuse = "Error: Could not process rule: Operation not permitted";
        f.block("VI_1", List.of(vip("10.0.0.100/24", "eth0")));
        f.clear();
        assertEquals(2, nft.batches.size());
        f.block("VI_1", List.of(vip("10.0.0.100/24", "eth0")));
        nft.refuse = null;
        f.block("VI_1", List.of(vip("10.0.0.100/24", "eth0")));
        assertEquals(4, nft.batches.size(), "the failed set is tried again although it did not change");
        f.block("VI_1", List.of(vip("10.0.0.100/24", "eth0")));
        assertEquals(4, nft.batches.size());

        FakeNft missing = new FakeNft();
        missing.installed = false;
        NftVipFilter g = new NftVipFilter(missing);
        g.clear();
        g.block("VI_1", List.of(vip("10.0.0.100/24", "eth0")));
        g.unblock("VI_1");
        assertEquals(List.of(), missing.batches);
    }

    @Test
    void aNewTableNameRemovesTheOldTable() throws Exception {
        f.block("VI_1", List.of(vip("10.0.0.100/24", "eth0")));
        f.configure(new VipFilterOptions("lb1", -1, false));
        assertEquals(NftBatch.delete("jkeepalived"), nft.batches.get(1));
        assertTrue(nft.batches.get(2).startsWith("add table inet lb1\n"), nft.batches.get(2));
        f.configure(new VipFilterOptions("lb1", -1, false));
        assertEquals(3, nft.batches.size());
    }

    @Test
    void anInstanceWithAnUnusableInterfaceNameDoesNotSpoilTheOthers() throws Exception {
        f.block("VI_1", List.of(vip("fe80::1/64", "bad\"name")));
        assertEquals(List.of(), nft.batches);
        f.block("VI_2", List.of(vip("10.0.0.100/24", "eth0")));
        assertEquals(1, nft.batches.size());
        assertEquals(List.of("VI_2"), List.copyOf(f.blocked().keySet()));
    }
}
