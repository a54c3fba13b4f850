package io.nacgw.radius.coa;

import io.nacgw.core.secret.Secret;

import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * The connections NASes opened to nacgw (RadSec, RFC 6614): a CoA for a session that came over one goes back over
 * it (RFC 6614 §2.5), never by UDP. Implemented by the RadSec listener; the CoA sender hands it where answers go.
 */
public interface NasLinks {
    /** One open connection of a NAS. */
    interface Link {
        /** The connection's peer (address and port): answers on it are told apart by this. */
        InetSocketAddress remote();

        /** The shared secret of packets on it ({@code radsec}). */
        Secret secret();

        /** Writes one packet on the connection; never blocks (the write happens on the connection's thread). */
        void send(byte[] packet);
    }

    /** The newest open connection of client {@code client} from {@code peerAddress} (IP text), or null. */
    Link find(String client, String peerAddress);

    /**
     * Where CoA/Disconnect ACK and NAK read on any connection go, with the connection's peer; null: dropped (counted
     * by the listener). Called from the connections' threads: must not block.
     */
    void answersTo(BiConsumer<InetSocketAddress, byte[]> sink);
}
