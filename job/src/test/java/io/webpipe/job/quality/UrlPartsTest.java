package io.webpipe.job.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The same cases are in index's {@code IndexMigrationTest}, for the painless copy of these rules. */
class UrlPartsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            https://shop.example/products/nike-air?utm_source=x&utm_medium=email | /products/nike-air    | shop.example
            https://Shop.Example:8443/a/b/#reviews                               | /a/b/                 | shop.example
            https://user:secret@www.Google.co.kr/search?q=1                      | /search               | www.google.co.kr
            https://shop.example                                                 | /                     | shop.example
            https://shop.example?q=1                                             | /                     | shop.example
            https://shop.example#top                                             | /                     | shop.example
            https://shop.example/%EB%82%98%EC%9D%B4%ED%82%A4?a=1                 | /%EB%82%98%EC%9D%B4%ED%82%A4 | shop.example
            http://[2001:db8::1]:8080/x                                          | /x                    | [2001:db8::1]
            //cdn.example/app.js                                                 | /app.js               | cdn.example
            android-app://com.google.android.gm/                                 | /                     | com.google.android.gm
            /cart?step=2                                                         | /cart                 | -
            cart                                                                 | cart                  | -
            not a url                                                            | not a url             | -
            https://                                                             | /                     | -
            https://exa mple.com/x                                               | /x                    | -
            https:/shop.example/x                                                | https:/shop.example/x | -
            """)
    void pathAndHost(String url, String path, String host) {
        assertThat(UrlParts.path(url)).isEqualTo(path);
        assertThat(UrlParts.host(url)).isEqualTo(host);
    }

    @Test
    void nullHasNeither() {
        assertThat(UrlParts.path(null)).isNull();
        assertThat(UrlParts.host(null)).isNull();
    }
}
