"""Source URL rules (generator/urls.py, issue 14): refused with the reason, never rewritten."""

from __future__ import annotations

import pytest

from generator.urls import confusable_host, url_problem


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://www.gov.cn/zhengce/2022-01/12/content_5667817.htm", None),
        ("http://www.wuhan.gov.cn:8080/a?b=1&c=%E5%85%83#x", None),
        ("https://www.seoul.go.kr@evil.example/plan", "user name before '@'"),
        ("https://user:pw@www.gov.cn/", "user name before '@'"),
        ("https://www.gov.cn\\@evil.example/", "a backslash"),
        ('https://www.gov.cn/a"onmouseover=x', "a quote"),
        ("https://www.gov.cn/a'b", "a quote"),
        ("https://www.gov.cn/a b", "a space or control character"),
        ("https://www.gov.cn/a\u0085", "a space or control character"),
        ("javascript:alert(1)", "use an absolute http:// or https:// URL"),
        ("ftp://www.gov.cn/", "use an absolute http:// or https:// URL"),
        ("https://localhost/", "no host name with a dot"),
        ("https://.gov.cn/", "no host name with a dot"),
        ("https://www.gov.cn:80x/", "the port after ':' is not a number"),
    ],
)
def test_url_rules(url, reason):
    problem = url_problem(url)
    assert (problem is None) if reason is None else (reason in problem)


@pytest.mark.parametrize(
    ("url", "marker", "expected"),
    [
        ("https://www.gov.cn/", None, None),
        ("https://www.gоv.cn/", None, "the host 'www.gоv.cn' mixes scripts"),  # Cyrillic о
        ("https://xn--fsqu00a.xn--fiqs8s/", None, "the host '例子.中国' is not plain ASCII"),
        ("https://xn--fsqu00a.xn--fiqs8s/", "例子.中国", None),
        ("https://例子.中国/", "例子.中国", None),
        ("https://www.gоv.cn/", "www.gov.cn", "mixes scripts"),  # a marker must match the real host
    ],
)
def test_confusable_hosts_need_the_marker(url, marker, expected):
    why = confusable_host(url, marker)
    assert (why is None) if expected is None else (expected in why)
