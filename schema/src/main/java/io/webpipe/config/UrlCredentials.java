package io.webpipe.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the credentials of every URL in a text: {@code http://user:secret@host} becomes
 * {@code http://user:******@host}, and a user part alone ({@code https://token@host}, often a token)
 * becomes {@code https://******@host}. Used for every line that may show a configured URL: the
 * components' configuration log lines and the stack's console.
 */
public final class UrlCredentials {
    /** What stands for a secret in every log line. */
    public static final String MASK = "******";
    /**
     * scheme://, a user without ':' or '@', then an optional password up to the last '@' before the path
     * or a blank (a password may hold an unescaped '@').
     */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)([^/@\\s:]*)(:[^/\\s]*)?@");

    private UrlCredentials() {}

    /** {@code text} with the credentials of every URL in it replaced by {@link #MASK}. */
    public static String mask(String text) {
        Matcher m = USER_INFO.matcher(text);
        StringBuilder masked = new StringBuilder();
        while (m.find()) {
            String userInfo = m.group(3) != null ? m.group(2) + ":" + MASK : MASK;
            m.appendReplacement(masked, Matcher.quoteReplacement(m.group(1) + userInfo + "@"));
        }
        m.appendTail(masked);
        return masked.toString();
    }
}
