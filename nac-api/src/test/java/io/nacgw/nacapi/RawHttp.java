package io.nacgw.nacapi;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One keep-alive request over an already open TLS socket, for tests that watch a single connection's fate. */
public final class RawHttp {
    private RawHttp() {
    }

    /** GET mdminfo; returns the status line with the whole response consumed, or null when the connection is gone. */
    public static String mdminfo(SSLSocket s) {
        try {
            OutputStream out = s.getOutputStream();
            out.write("GET /ciscoise/mdminfo/?ise_api_version=3 HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
            if (c < 0) {
                return null;
            }
            String h = head.toString();
            int len = 0;
            for (String line : h.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    len = Integer.parseInt(line.substring(15).strip());
                }
            }
            in.readNBytes(len);
            return h.substring(0, h.indexOf('\r'));
        } catch (IOException e) {
            return null;
        }
    }
}
