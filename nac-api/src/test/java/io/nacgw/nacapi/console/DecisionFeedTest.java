package io.nacgw.nacapi.console;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

final class DecisionFeedTest {

    static String decision(int i, String nas, String verdict, long micros) {
        return "{\"time\":\"2026-11-30T08:00:0" + (i % 10) + "Z\",\"nas\":\"" + nas + "\",\"nasAddress\":\"10.0.0.1\","
                + "\"method\":\"mab\",\"identifiers\":{\"nas\":\"decoy\"},\"identifierUsed\":\"mac:aa:bb:cc:dd:ee:0" + (i % 10)
                + "\",\"deviceId\":null,\"profile\":\"corp\",\"verdict\":\"" + verdict + "\",\"reasons\":[],"
                + "\"decisionId\":null,\"latencyMicros\":" + micros + "}";
    }

    @Test
    void slowSubscriber_losesLines_counted_othersGetAll() {
        DecisionFeed feed = new DecisionFeed(100);
        DecisionFeed.Subscription slow = feed.subscribe(2);
        DecisionFeed.Subscription fast = feed.subscribe(10);
        for (int i = 0; i < 5; i++) {
            feed.publish(decision(i, "sw1", "accept", 10));
        }
        assertEquals(3, slow.dropped());
        assertEquals(0, fast.dropped());
        assertEquals(3, feed.dropped());
        assertEquals(decision(0, "sw1", "accept", 10), slow.poll());
        assertEquals(decision(1, "sw1", "accept", 10), slow.poll());
        assertNull(slow.poll());
        int n = 0;
        while (fast.poll() != null) {
            n++;
        }
        assertEquals(5, n);
        slow.close();
        fast.close();
        assertEquals(0, feed.subscribers());
        feed.publish(decision(6, "sw1", "accept", 10)); // nobody listening: nothing dropped
        assertEquals(3, feed.dropped());
    }

    @Test
    void recent_isNewestFirst_boundedByTheRing_andFiltered() {
        DecisionFeed feed = new DecisionFeed(3);
        for (int i = 0; i < 5; i++) {
            feed.publish(decision(i, i % 2 == 0 ? "sw1" : "sw2", "accept", 10));
        }
        List<String> all = feed.recent(l -> true, 10);
        assertEquals(List.of(decision(4, "sw1", "accept", 10), decision(3, "sw2", "accept", 10),
                decision(2, "sw1", "accept", 10)), all);
        assertEquals(1, feed.recent(l -> l.contains("\"nas\":\"sw2\""), 10).size());
        assertEquals(1, feed.recent(l -> true, 1).size());
    }

    @Test
    void decisionsFilter_byDeviceMacAndNas_skipsCoaLines() {
        String d = "{\"time\":\"t\",\"nas\":\"sw1\",\"identifierUsed\":\"mac:aa:bb:cc:dd:ee:01\",\"deviceId\":\"ID-1\"}";
        String coa = "{\"time\":\"t\",\"type\":\"coa\",\"nas\":\"sw1\",\"deviceId\":\"ID-1\"}";
        assertTrue(DecisionFeed.decisions(null, null, null).test(d));
        assertTrue(!DecisionFeed.decisions(null, null, null).test(coa));
        assertTrue(DecisionFeed.decisions("id-1", "aa:bb:cc:dd:ee:01", "sw1").test(d));
        assertTrue(!DecisionFeed.decisions("id-2", null, null).test(d));
        assertTrue(!DecisionFeed.decisions(null, "aa:bb:cc:dd:ee:02", null).test(d));
        assertTrue(!DecisionFeed.decisions(null, null, "sw2").test(d));
    }

    @Test
    void size_outOfRange_namesTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new DecisionFeed(0)).getMessage()
                .contains("api.console.recentDecisions"));
    }
}
