package io.webpipe.job.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelGroupingTest {
    private static final String LANDING = "https://shop.example/p/1";

    @ParameterizedTest(name = "{0} / {1} from {2}: {3}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            -           | -          | -                                                   | Direct
            -           | -          | https://shop.example/cart                          | Direct
            -           | -          | https://search.naver.com/search.naver?query=nike   | Organic Search
            -           | -          | https://m.search.naver.com/search.naver?query=x     | Organic Search
            -           | -          | https://search.daum.net/search?q=x                  | Organic Search
            -           | -          | https://search.zum.com/search.zum?query=x           | Organic Search
            -           | -          | https://search.nate.com/search/all?q=x              | Organic Search
            -           | -          | https://www.google.co.kr/                           | Organic Search
            -           | -          | https://www.google.com/search?q=x                   | Organic Search
            -           | -          | android-app://com.google.android.googlequicksearchbox/ | Organic Search
            -           | -          | https://www.bing.com/                               | Organic Search
            -           | -          | https://search.yahoo.co.jp/                         | Organic Search
            -           | -          | https://duckduckgo.com/                             | Organic Search
            -           | -          | https://www.baidu.com/                              | Organic Search
            -           | -          | https://yandex.ru/                                  | Organic Search
            -           | -          | https://blog.naver.com/someone/223                  | Organic Social
            -           | -          | https://m.blog.naver.com/someone/223                | Organic Social
            -           | -          | https://cafe.naver.com/sneakers                     | Organic Social
            -           | -          | https://cafe.daum.net/sneakers                      | Organic Social
            -           | -          | https://story.kakao.com/x                           | Organic Social
            -           | -          | https://band.us/band/1                              | Organic Social
            -           | -          | https://t.co/abc                                    | Organic Social
            -           | -          | https://l.facebook.com/l.php?u=x                    | Organic Social
            -           | -          | https://www.instagram.com/                          | Organic Social
            -           | -          | https://www.youtube.com/watch?v=1                   | Organic Social
            -           | -          | https://mail.naver.com/                             | Email
            -           | -          | https://mail.google.com/mail/u/0/                   | Email
            -           | -          | https://news.example/article/1                      | Referral
            naver       | cpc        | -                                                   | Paid Search
            naver       | cpc        | https://search.naver.com/search.naver?query=nike   | Paid Search
            google      | ppc        | -                                                   | Paid Search
            daum        | paidsearch | -                                                   | Paid Search
            Google      | CPC        | -                                                   | Paid Search
            facebook    | paid_social| -                                                   | Paid Social
            kakao       | cpc        | -                                                   | Paid Social
            instagram   | cpm        | -                                                   | Display
            partner     | banner     | -                                                   | Display
            partner     | cpc        | -                                                   | Paid Other
            newsletter  | email      | -                                                   | Email
            news letter | e-mail     | https://www.google.com/                             | Email
            email       | -          | -                                                   | Email
            partner     | social     | -                                                   | Organic Social
            kakaotalk   | share      | -                                                   | Organic Social
            google      | organic    | -                                                   | Organic Search
            naver       | -          | -                                                   | Organic Search
            coupang     | affiliate  | -                                                   | Affiliates
            partner     | referral   | -                                                   | Referral
            partner     | -          | -                                                   | Other
            -           | print      | -                                                   | Other
            """)
    void channelOfSourceAndMedium(String utmSource, String utmMedium, String referrer, String channel) {
        assertThat(ChannelGrouping.DEFAULT.channel(utmSource, utmMedium, UrlParts.host(referrer), UrlParts.host(LANDING))).isEqualTo(channel);
    }

    @Test
    void theTableMustEndWithACatchAllRow() {
        assertThatThrownBy(() -> ChannelTable.parse(List.of("channel\tDirect\tdirect\tnone")))
                .hasMessageContaining("last channel row must be '* *'");
        assertThatThrownBy(() -> ChannelTable.parse(List.of("source\tsearch\tGoogle"))).hasMessageContaining("not a row");
    }

    @Test
    void everyClassNamedByAChannelRowIsDefined() {
        ChannelTable table = ChannelTable.load();
        List<String> sourceClasses = table.sources.stream().map(ChannelTable.SourceRow::sourceClass).toList();
        List<String> mediumClasses = table.media.stream().map(ChannelTable.MediumRow::mediumClass).toList();
        for (ChannelTable.ChannelRow row : table.channels) {
            assertThat(row.sourceClass()).as(row.toString()).isIn(concat(sourceClasses, ChannelTable.ANY));
            assertThat(row.mediumClass()).as(row.toString()).isIn(concat(mediumClasses, ChannelTable.ANY));
        }
    }

    private static List<String> concat(List<String> list, String one) {
        return Stream.concat(list.stream(), Stream.of(one)).toList();
    }
}
