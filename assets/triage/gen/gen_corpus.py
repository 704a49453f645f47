#!/usr/bin/env python3
"""Generator of assets/triage/corpus.ndjson: it wrote that corpus, every line of it.

The corpus is synthetic: labelled field reports (phản ánh hiện trường) of the kind Huế's citizens
send to the IOC, composed from hand-written fragments (openings, places, the subject of the
report, details, closings), then roughened the way real reports are (no diacritics,
abbreviations such as ko/k, dc/đc, ng, j, P., đ., typos, shouting). Nothing here was copied from
any real report or from the project's dev set.

Template syntax inside fragments: `{a|b|c}` picks one alternative (alternatives may nest and may
be empty), `$LOC`, `$STREET`, `$WARD`, `$LM`, `$TIME`, `$DUR`, `$NUM` are slots.

Run: python3 assets/triage/gen/gen_corpus.py > assets/triage/corpus.ndjson
The output is deterministic (fixed seed).
"""

import json
import random
import sys

from fragments import CATEGORIES, COUNTS
from fragments_more import MORE
from slots import SLOTS
from keywords import KEYWORDS, KEYWORD_FORMS
from fragments_border import BORDER
from fragments_wide import WIDE
from fragments_field import FIELD, PREFACES
from places import STREETS, WARDS, LANDMARKS

R = random.Random(20250701)


# ---------------------------------------------------------------------------------------------
# Template expansion
# ---------------------------------------------------------------------------------------------

def expand(t: str) -> str:
    """Expands `{a|b}` choices (nested allowed) and the $ slots."""
    out = []
    i = 0
    while i < len(t):
        c = t[i]
        if c == "{":
            depth = 0
            j = i
            parts = []
            start = i + 1
            while j < len(t):
                if t[j] == "{":
                    depth += 1
                elif t[j] == "}":
                    depth -= 1
                    if depth == 0:
                        parts.append(t[start:j])
                        break
                elif t[j] == "|" and depth == 1:
                    parts.append(t[start:j])
                    start = j + 1
                j += 1
            out.append(expand(R.choice(parts)))
            i = j + 1
        else:
            out.append(c)
            i += 1
    s = "".join(out)
    return fill_slots(s)


def street():
    return R.choice(STREETS)


def ward():
    return R.choice(WARDS)


def fill_slots(s: str) -> str:
    while "$" in s:
        if "$LOC" in s:
            s = s.replace("$LOC", location(), 1)
        elif "$STREET" in s:
            s = s.replace("$STREET", street(), 1)
        elif "$WARD" in s:
            s = s.replace("$WARD", ward(), 1)
        elif "$LM" in s:
            s = s.replace("$LM", R.choice(LANDMARKS), 1)
        elif "$TIME" in s:
            s = s.replace("$TIME", expand(R.choice(TIMES)), 1)
        elif "$DUR" in s:
            s = s.replace("$DUR", expand(R.choice(DURATIONS)), 1)
        elif "$NUM" in s:
            s = s.replace("$NUM", str(R.choice([2, 3, 4, 5, 7, 10, 12, 15, 20, 23, 27, 31, 45, 56, 68, 102, 115, 150])), 1)
        else:
            s = s.replace("$", "", 1)
    return s


TIMES = [
    "tối qua", "sáng nay", "chiều nay", "đêm qua", "khoảng 23h đêm qua", "lúc 6h sáng",
    "tối hôm qua", "mấy hôm nay", "từ tuần trước", "sáng sớm nay", "trưa nay", "hôm qua",
    "khoảng 1 giờ sáng", "tối thứ bảy vừa rồi", "chủ nhật tuần trước", "đêm nào cũng vậy",
    "mỗi tối", "gần đây", "từ đầu tháng", "sau trận mưa hôm qua", "sau cơn bão vừa rồi",
]

DURATIONS = [
    "cả tuần nay", "gần 1 tháng nay", "{hơn|gần|đã} {2|3|4|5|10} ngày", "mấy ngày nay",
    "{hơn|gần} {2|3|6} tháng nay", "lâu lắm rồi", "từ Tết tới giờ", "cả năm nay", "mấy tuần liền",
    "{2|3} hôm nay", "nhiều ngày liền", "từ mùa mưa năm ngoái",
]


def location() -> str:
    forms = [
        "tại kiệt $NUM {đường |}$STREET, phường $WARD",
        "ở kiệt $NUM $STREET",
        "tại hẻm $NUM $STREET{, P. $WARD|}",
        "trên đường $STREET{ đoạn gần $LM| đoạn trước số nhà $NUM| đoạn qua phường $WARD|}",
        "{trước|gần|đối diện} nhà số $NUM $STREET",
        "{khu vực|gần|xung quanh|ngay} $LM",
        "tại tổ $NUM{, khu vực $NUM|}, phường $WARD",
        "ở đường $STREET, {p|P.|phường} $WARD",
        "ngã tư $STREET - $STREET",
        "{đoạn|khúc} đường $STREET {giao với|gần ngã ba} $STREET",
        "kiệt $NUM/$NUM $STREET",
        "trên đ. $STREET",
        "{tại|ở} phường $WARD{, TP Huế|, thành phố Huế|}",
        "{ở|tại} khu quy hoạch {Bãi Dâu|Đông Nam Thủy An|Kiểm Huệ|Hương Sơ|Phú Bài|An Vân Dương|Xuân Phú}",
        "{tại|ở} khu tập thể {Kim Long|Đống Đa|Thủy Xuân|Bà Triệu|An Cựu}",
        "{gần|cạnh} trường {tiểu học|THCS|mầm non} {trên đường $STREET|phường $WARD}",
    ]
    return expand(R.choice(forms))


# ---------------------------------------------------------------------------------------------
# Framing: openings, closings
# ---------------------------------------------------------------------------------------------

FORMAL_OPEN = [
    "Kính gửi cơ quan chức năng{,|.}",
    "Kính gửi UBND phường $WARD{,|.}",
    "Kính gửi Trung tâm {IOC|Giám sát điều hành đô thị thông minh}{,|.}",
    "Kính gửi {các cơ quan có thẩm quyền|quý cơ quan|lãnh đạo thành phố|các cấp chính quyền}{,|.}",
    "Kính gửi {Công an phường $WARD|Ban quản lý|Sở Xây dựng|chính quyền địa phương}{,|.}",
    "Tôi là người dân, nhà {ở|} $LOC{.|,}",
    "Tôi xin phản ánh {việc sau|tình trạng sau|một việc}{:|.}",
    "Kính gửi cơ quan chức năng. Tôi {xin|muốn} phản ánh{:| như sau:|}",
]
FORMAL_CLOSE = [
    "Kính mong {cơ quan chức năng|các cơ quan chức năng|quý cơ quan|chính quyền} sớm kiểm tra, xử lý. Trân trọng cảm ơn!",
    "Đề nghị {cơ quan chức năng|các đơn vị liên quan|UBND phường} {sớm|khẩn trương} {xem xét|kiểm tra} {giải quyết|xử lý}.",
    "Rất mong được quan tâm {giải quyết|xử lý}. Xin cảm ơn.",
    "Trân trọng cảm ơn!",
    "Kính đề nghị xử lý dứt điểm.",
    "Mong {cơ quan chức năng|các ngành chức năng} vào cuộc{.| sớm.}",
    "Xin chân thành cảm ơn.",
    "Kính mong sớm {khắc phục|xử lý} để {đảm bảo an toàn cho người dân|người dân yên tâm|bà con đi lại thuận tiện}.",
]
CASUAL_OPEN = [
    "Ad ơi{,|}", "Alo{,|} ", "Mọi người ơi{,|}", "Cho {mình|em|tui} phản ánh{ chút|}{:|,|}", "Báo cáo{:|,}",
    "Nhờ {IOC|ad|các anh} {xem giúp|xử lý giúp}{:|,}", "Em chào {anh chị|ad}{,|.}", "Chào {IOC|ad|các anh chị}{,|.}",
    "Hello ad{,|}", "Phản ánh{:|}", "Cho {em|mình} hỏi{,|}", "Bà con {ở|tại} $WARD phản ánh{:|}",
]
CASUAL_CLOSE = [
    "{Nhờ|Mong} {ad|mọi người|các anh|cơ quan chức năng} xử lý {giúp|dùm|giùm}{ ạ|}.", "Cảm ơn {ad|mn|nhiều}{ ạ|}!",
    "Mong được xử lý sớm{ ạ|}.", "Xin cảm ơn.", "Thanks ad.", "Mong sớm khắc phục.", "Nhanh {giúp|dùm} với{ ạ|}.",
    "{Mn|Mọi người} {chú ý|cẩn thận} nhé.", "Ai có trách nhiệm {xem|coi} giùm với.", "Tks.",
]
ANGRY_CLOSE = [
    "Phản ánh {mấy|nhiều} lần rồi mà {không|chưa} ai {xử lý|giải quyết|đoái hoài}!", "Quá bức xúc!!!",
    "Chính quyền {ở đâu|đi đâu hết rồi|có biết không}???", "Đề nghị xử lý {ngay|nghiêm|dứt điểm}!!",
    "{Dân|Người dân} khổ lắm rồi!", "Không thể chịu nổi nữa!", "Bao giờ mới {xử lý|làm}???",
    "Làm ăn kiểu gì vậy?!", "Thật {quá đáng|không chấp nhận được}!",
]
ELDER_OPEN = [
    "Dạ thưa {các chú|các cháu|các anh chị|quý cơ quan}{,|.}", "Thưa {cơ quan chức năng|các cô chú},",
    "Tôi năm nay đã {68|72|75|80} tuổi, nhà {ở|} $LOC.", "Dạ, {tôi|bà|ông} ở {phường|P.} $WARD xin {trình bày|thưa}:",
]
ELDER_CLOSE = [
    "Xin {các chú|các cháu|quý cơ quan} {thương tình|quan tâm} {giúp đỡ|xử lý} cho bà con. Xin cảm ơn ạ.",
    "Tôi già yếu {đi lại khó khăn|mắt kém}, mong {các cháu|các chú} giúp cho. Cảm ơn nhiều ạ.",
    "Xin chân thành cảm ơn ạ.", "Mong được giúp đỡ. Trân trọng.",
]


SLOT_FORMS = [
    "@S@ $LOC @P@{, @c@|}.{ @R@.|}",
    "{Tình trạng|Hiện nay|Hiện tại} @s@ $LOC @P@{ $DUR|}{, @c@|}.{ @R@.|}",
    "$LOC, @s@ @P@{, @c@|}.{ @R@.|}",
    "{Phản ánh|Về việc} @s@ @P@ $LOC.{ @C@.|}{ @R@.|}",
    "@S@ @P@{ $DUR| đã lâu|}{, @c@|}.{ @R@.|}",
    "@S@ @P@. @C@.",
    "@S@ {ở|tại} đường $STREET @P@{, @c@|}{, @r@|}.",
]


def cap(s: str) -> str:
    return s[0].upper() + s[1:]


def slot_core(cat: str) -> str:
    group = R.choice(SLOTS[cat])
    subj = R.choice(group["subj"])
    prob = R.choice(group["prob"])
    cons = R.choice(SLOTS[cat + "_cons"])
    req = R.choice(SLOTS[cat + "_req"])
    out = expand(R.choice(SLOT_FORMS))
    out = cap(out.replace("@S@", cap(subj)).replace("@s@", subj).replace("@P@", prob))
    out = out.replace("@C@", cap(cons)).replace("@c@", cons).replace("@R@", cap(req)).replace("@r@", req)
    return out


def compose(cat: str, spec: dict) -> str:
    r = R.random()
    if r < 0.25:
        tmpl = "$SLOT"
        core = slot_core(cat)
    elif r < 0.45:
        tmpl = "$KW"
        k1, k2 = R.sample(KEYWORDS[cat], 2)
        core = expand(R.choice(KEYWORD_FORMS))
        core = cap(core.replace("@K@", cap(k1)).replace("@k@", k1).replace("@k2@", k2))
    else:
        tmpl = R.choice(spec["core"])
        core = expand(tmpl)
    parts = []
    style = R.choices(["formal", "casual", "angry", "elder", "terse"], [30, 32, 14, 8, 16])[0]
    loc = location() if "$" not in tmpl and R.random() < 0.75 else ""

    def with_loc(s):
        if not loc or R.random() < 0.25:
            return s
        s = s.rstrip(".!")
        if R.random() < 0.5:
            return s + " " + loc + "."
        return loc[0].upper() + loc[1:] + " " + s[0].lower() + s[1:] + "."

    details = spec.get("detail", [])
    n_det = R.choices([0, 1, 2], [35, 45, 20])[0] if details and style != "terse" else 0
    det = [expand(d) for d in R.sample(details, min(n_det, len(details)))]

    # A neutral sentence about the reporter or the story's setting, before or after the details.
    if style != "terse" and R.random() < 0.15:
        front = R.random() < 0.5
        preface = expand(R.choice(PREFACES))
        det.insert(0 if front else len(det), preface)
    if style == "formal":
        parts.append(expand(R.choice(FORMAL_OPEN)))
        parts.append(with_loc(core))
        parts += det
        parts.append(expand(R.choice(FORMAL_CLOSE)))
    elif style == "casual":
        if R.random() < 0.6:
            parts.append(expand(R.choice(CASUAL_OPEN)))
        parts.append(with_loc(core))
        parts += det
        if R.random() < 0.6:
            parts.append(expand(R.choice(CASUAL_CLOSE)))
    elif style == "angry":
        parts.append(with_loc(core))
        parts += det
        parts.append(expand(R.choice(ANGRY_CLOSE)))
    elif style == "elder":
        parts.append(expand(R.choice(ELDER_OPEN)))
        parts.append(with_loc(core))
        parts += det
        parts.append(expand(R.choice(ELDER_CLOSE)))
    else:
        parts.append(with_loc(core) if R.random() < 0.5 else core)
    text = " ".join(p.strip() for p in parts if p.strip())
    if style == "angry" and R.random() < 0.3:
        text = text.upper() if R.random() < 0.3 else text.replace(".", "!!")
    return text


def compose_invalid(spec: dict) -> str:
    core = expand(R.choice(spec["core"]))
    r = R.random()
    if r < 0.2:
        return expand(R.choice(FORMAL_OPEN[:4])) + " " + core
    if r < 0.3:
        return core + " " + expand(R.choice(FORMAL_CLOSE))
    if r < 0.45:
        return expand(R.choice(CASUAL_OPEN)) + " " + core
    return core


# ---------------------------------------------------------------------------------------------
# Roughening: diacritics dropped, abbreviations, typos
# ---------------------------------------------------------------------------------------------

import unicodedata


def strip_marks(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


ABBREV = [
    ("không", ["ko", "k", "hông", "hok", "kg", "khg"]), ("được", ["dc", "đc", "đươc"]),
    ("người", ["ng", "ngừoi"]), ("gì", ["j", "gi"]), ("phường", ["P.", "p.", "P", "f"]),
    ("đường", ["đ.", "Đ.", "đg"]), ("với", ["vs", "vơi"]), ("quá", ["wá", "qá", "qua"]),
    ("rồi", ["r", "roi", "rùi"]), ("nhiều", ["nhìu", "nh"]), ("thì", ["thi", "th"]),
    ("bây giờ", ["bgio", "bây h", "bh"]), ("anh chị", ["a/c", "ac"]), ("mọi người", ["mn", "mng"]),
    ("biết", ["bít", "bik"]), ("cũng", ["cg", "cug"]), ("nhà", ["nha"]), ("trước", ["trc", "trươc"]),
    ("ủy ban", ["UB"]), ("Ủy ban nhân dân", ["UBND"]), ("thành phố", ["TP", "tp"]),
    ("vậy", ["v", "zậy", "vạy"]), ("gần", ["gân"]), ("mình", ["mk", "mik"]), ("những", ["nhg"]),
    ("số", ["sô", "so"]), ("giờ", ["h", "gio"]),
]


def abbreviate(s: str, p: float) -> str:
    for full, subs in ABBREV:
        if full in s and R.random() < p:
            s = s.replace(full, R.choice(subs))
    return s


KEYS = "qwertyuiopasdfghjklzxcvbnm"


def typo(s: str, rate: float) -> str:
    out = list(s)
    i = 0
    res = []
    while i < len(out):
        c = out[i]
        if c.isalpha() and R.random() < rate:
            k = R.random()
            if k < 0.35:
                pass  # drop
            elif k < 0.6 and i + 1 < len(out) and out[i + 1].isalpha():
                res.append(out[i + 1])
                res.append(c)
                i += 1
            elif k < 0.8:
                res.append(c)
                res.append(c)
            else:
                res.append(R.choice(KEYS))
        else:
            res.append(c)
        i += 1
    return "".join(res)


def roughen(s: str) -> str:
    r = R.random()
    if r < 0.17:
        s = abbreviate(s, 0.7)
        s = strip_marks(s)
        if R.random() < 0.5:
            s = s.lower()
    elif r < 0.4:
        s = abbreviate(s, 0.5)
    elif r < 0.45:
        s = strip_marks(s)
    if R.random() < 0.3:
        s = typo(s, R.choice([0.01, 0.02, 0.04]))
    if R.random() < 0.15:
        s = s.lower()
    if R.random() < 0.05:
        s = s.rstrip(".") + R.choice([" ...", "!!!", " ??", " 🙏", " 😡", " ạ"])
    return s


def main():
    for cat, extra in MORE.items():
        CATEGORIES[cat]["core"] = CATEGORIES[cat]["core"] + extra
    for cat, extra in BORDER.items():
        CATEGORIES[cat]["core"] = CATEGORIES[cat]["core"] + extra
    for cat, extra in WIDE.items():
        CATEGORIES[cat]["core"] = CATEGORIES[cat]["core"] + extra
    # The field-written subjects are drawn as often as all the older sets together, and their
    # categories get a quarter more reports, so the older wording keeps its share.
    for cat, extra in FIELD.items():
        core = CATEGORIES[cat]["core"]
        CATEGORIES[cat]["core"] = core + extra * max(1, len(core) // (2 * len(extra)))
        COUNTS[cat] = COUNTS[cat] * 5 // 4
    rows = []
    for cat, spec in CATEGORIES.items():
        n = COUNTS[cat]
        seen = set()
        tries = 0
        while len([r for r in rows if r["category"] == cat]) < n and tries < n * 50:
            tries += 1
            if cat == "invalid":
                t = compose_invalid(spec)
            else:
                t = compose(cat, spec)
            t = roughen(" ".join(t.split()))
            if t in seen:
                continue
            seen.add(t)
            rows.append({"text": t, "category": cat})
    R.shuffle(rows)
    for r in rows:
        sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
