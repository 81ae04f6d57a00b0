import pytest

from awardforms.errors import FieldProblem
from awardforms.check.regions import DATA_DIR, check_county_level, county_code, prefecture_of


def problem(text) -> FieldProblem:
    with pytest.raises(FieldProblem) as exc:
        check_county_level(text)
    return exc.value


@pytest.mark.parametrize(
    "text, code, prefecture",
    [
        ("吉林省长春市朝阳区", "220104", "长春市"),
        ("长春市朝阳区", "220104", "长春市"),
        ("吉林农安", "220122", "长春市"),
        ("吉林省农安县", "220122", "长春市"),
        ("吉林 农安", "220122", "长春市"),
        ("山东省莱州市", "370683", "烟台市"),
        ("山东莱州", "370683", "烟台市"),
        ("山东省烟台市莱州市", "370683", "烟台市"),
        ("延边朝鲜族自治州延吉市", "222401", "延边朝鲜族自治州"),
        ("延边州延吉市", "222401", "延边朝鲜族自治州"),
        ("梅河口市", "220581", "通化市"),
        ("公主岭市", "220184", "长春市"),
        ("吉林省吉林市船营区", "220204", "吉林市"),
        ("吉林市船营区", "220204", "吉林市"),
        ("吉林省白山市浑江区", "220602", "白山市"),
        ("伊通满族自治县", "220323", "四平市"),
        ("伊通县", "220323", "四平市"),
        ("长白县", "220623", "白山市"),
        ("前郭尔罗斯蒙古族自治县", "220721", "松原市"),
        ("前郭县", "220721", "松原市"),
        ("北京市朝阳区", "110105", "北京市"),
        ("上海市浦东新区", "310115", "上海市"),
        ("广西南宁市青秀区", "450103", "南宁市"),
        ("内蒙古鄂伦春旗", "150723", "呼伦贝尔市"),
        ("广东省东莞市", "441900", "东莞市"),  # prefecture-level city without counties
        ("吉林省农安县合隆镇", "220122", "长春市"),  # more precise than county is fine
    ],
)
def test_county_level_values(text, code, prefecture):
    assert check_county_level(text) == text.strip()
    assert county_code(text) == code
    assert prefecture_of(text) == prefecture


def test_text_is_returned_stripped_not_rewritten():
    assert check_county_level("  吉林农安 ") == "吉林农安"


def test_abolished_county_from_stdnum_history():
    # 怀德县 (now part of 公主岭市) is still written as 籍贯 by older nominees
    assert check_county_level("吉林省怀德县") == "吉林省怀德县"
    assert prefecture_of("吉林省怀德县") == "四平市"


@pytest.mark.parametrize(
    "text, prefecture",
    [
        ("长白山管委会", "长白山管委会"),
        ("吉林省长白山管委会", "长白山管委会"),
        ("长春新区", "长春市"),
        ("长春经济技术开发区", "长春市"),
        ("吉林省长春市净月区", "长春市"),
        ("长春市长春新区", "长春市"),
    ],
)
def test_extra_units(text, prefecture):
    assert check_county_level(text) == text
    assert county_code(text) is None
    assert prefecture_of(text) == prefecture


def test_extras_file_lists_changbaishan():
    names = (DATA_DIR / "regions-extra.txt").read_text(encoding="utf-8").split()
    assert "长白山管委会" in names


@pytest.mark.parametrize(
    "text, level",
    [
        ("吉林省长春市", "市（州）一级"),
        ("吉林长春", "市（州）一级"),
        ("长春", "市（州）一级"),
        ("吉林省吉林市", "市（州）一级"),
        ("吉林市", "市（州）一级"),
        ("吉林省四平市", "市（州）一级"),  # was a county-level city before 1983
        ("吉林省通化市", "市（州）一级"),  # not 通化县 + "市"
        ("延边州", "市（州）一级"),
        ("辽宁省朝阳市", "市（州）一级"),
        ("白山市", "市（州）一级"),
        ("吉林省长春市某某街道", "市（州）一级"),
        ("吉林省", "省一级"),
        ("北京市", "省一级"),
    ],
)
def test_not_county_level(text, level):
    p = problem(text)
    assert p.code == "region-not-county"
    assert level in p.message
    assert p.fix == "请精确到县（区、市、旗），如“吉林省长春市朝阳区”。"


@pytest.mark.parametrize("text", ["火星", "", "某某县", "abc"])
def test_unknown(text):
    assert problem(text).code == "region-unknown"


@pytest.mark.parametrize("text", ["吉林省莱州市", "长春市莱州市", "山东省长白山管委会"])
def test_county_outside_named_province(text):
    p = problem(text)
    assert p.code == "region-unknown"
    assert "对不上" in p.message


def test_county_in_other_prefecture_of_same_province_is_tolerated():
    # counties moved between 市州 (公主岭: 四平 → 长春 in 2020), so only the province must agree
    assert check_county_level("四平市公主岭市") == "四平市公主岭市"
    assert check_county_level("长春市公主岭市") == "长春市公主岭市"
    assert county_code("长春市公主岭市") == "220184"


def test_ambiguous_short_name_is_accepted():
    # 朝阳 is 朝阳区 (Beijing, Changchun) or 朝阳县 (Liaoning): some county fits
    assert check_county_level("辽宁朝阳") == "辽宁朝阳"
    assert county_code("辽宁朝阳").startswith("21")


def test_county_code_and_prefecture_of_return_none_when_not_county():
    assert county_code("吉林省长春市") is None
    assert prefecture_of("吉林省长春市") is None
    assert prefecture_of("火星") is None


# ---- the index cache (a per-user file, so a new process need not build the index again)

@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache folder for this test; the in-process index forgotten before and after."""
    from awardforms.check import regions
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "xdg"))
    regions._index.cache_clear()
    yield regions.cache_dir() / regions._CACHE_NAME
    regions._index.cache_clear()


SAMPLES = ["吉林省长春市朝阳区", "吉林省怀德县", "长白山管委会", "北京市朝阳区", "辽宁朝阳", "吉林省长春市", "火星"]


def answers():
    from awardforms.check import regions
    out = []
    for text in SAMPLES:
        try:
            out.append((check_county_level(text), county_code(text), prefecture_of(text)))
        except FieldProblem as err:
            out.append((err.code, err.message))
    return out, regions.id_provinces()


def test_cached_index_equals_freshly_built_index(fresh_cache):
    from awardforms.check import regions
    built = regions._build_index()
    first = regions._index()                   # no cache yet: built and stored
    assert fresh_cache.is_file()
    regions._index.cache_clear()
    cached = regions._load_index(fresh_cache, regions._cache_key())
    assert cached is not None
    assert cached == built == first
    assert {"11", "22", "65", "71", "81", "82"} <= cached.id_provinces
    assert "99" not in cached.id_provinces


def test_id_provinces_answer_as_stdnum_cn_loc_does():
    # idcard.py asks this set instead of reading cn/loc; the answer must not change
    from stdnum import numdb
    from awardforms.check.regions import id_provinces
    db = numdb.get("cn/loc")
    for i in range(100):
        for rest in ("0000", "0102", "9999"):
            number = f"{i:02d}{rest}"
            assert (number[:2] in id_provinces()) == ("province" in db.info(number)[0][1]), number



@pytest.mark.parametrize("provinces", ["cached set", None])
def test_idcard_province_check_with_and_without_the_set(monkeypatch, provinces):
    # None: cn/loc is not keyed by 2-digit provinces (a future stdnum); idcard asks it directly
    from awardforms.check import idcard
    from awardforms.check import regions
    if provinces is None:
        monkeypatch.setattr(regions, "id_provinces", lambda: None)
    idcard._check_region("220102197003074517")
    idcard._check_region("810000197003074517")
    with pytest.raises(FieldProblem) as exc:
        idcard._check_region("990102197003074517")
    assert exc.value.code == "id-region"

def test_cached_and_built_give_the_same_answers(fresh_cache):
    from awardforms.check import regions
    built = answers()                         # builds and stores
    regions._index.cache_clear()
    assert answers() == built                 # from the file


@pytest.mark.parametrize("damage", [
    lambda b: b[: len(b) // 2],                                   # truncated
    lambda b: b[:-10] + bytes(10),                                # payload changed
    lambda b: b.replace(b"awardforms-regions-1", b"awardforms-regions-0", 1),   # other format
    lambda b: b"",
    lambda b: b"garbage\n\n\x00\x01",
])
def test_damaged_cache_is_rebuilt_with_same_answers(fresh_cache, damage):
    from awardforms.check import regions
    expected = answers()
    regions._index.cache_clear()
    fresh_cache.write_bytes(damage(fresh_cache.read_bytes()))
    assert answers() == expected
    regions._index.cache_clear()
    assert regions._load_index(fresh_cache, regions._cache_key()) is not None   # rewritten


def test_wrong_shape_with_valid_checksum_is_rebuilt(fresh_cache):
    import hashlib
    import marshal
    from awardforms.check import regions
    expected = answers()
    regions._index.cache_clear()
    payload = marshal.dumps(("not", "an", "index", 1, 2, 3, None))
    fresh_cache.write_bytes(regions._CACHE_FORMAT + b" " + regions._cache_key() + b"\n"
                            + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    assert answers() == expected


def test_unwritable_cache_folder_does_not_fail(tmp_path, monkeypatch):
    from awardforms.check import regions
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))     # cache_dir() cannot be created
    monkeypatch.setenv("LOCALAPPDATA", str(blocker))
    regions._index.cache_clear()
    try:
        assert county_code("吉林农安") == "220122"
    finally:
        regions._index.cache_clear()
    assert list(tmp_path.iterdir()) == [blocker]


def test_cache_key_follows_the_inputs(fresh_cache, monkeypatch, tmp_path):
    from awardforms.check import regions
    key = regions._cache_key()
    extra = tmp_path / "data"
    (extra / "enums").mkdir(parents=True)
    (extra / "regions-extra.txt").write_text((DATA_DIR / "regions-extra.txt").read_text("utf-8") + "新区 长春市\n",
                                             "utf-8")
    (extra / "enums" / "ethnicities.txt").write_bytes((DATA_DIR / "enums" / "ethnicities.txt").read_bytes())
    monkeypatch.setattr(regions, "DATA_DIR", extra)
    assert regions._cache_key() != key


def test_ambiguous_county_is_a_warning_asking_for_the_city(tmp_path):
    from awardforms.check.regions import ambiguity
    p = ambiguity("朝阳区")
    assert p.severity == "warning" and p.code == "region-ambiguous"
    assert "长春市" in p.message and "北京市" in p.message and "吉林省长春市朝阳区" in p.fix
    for precise in ("吉林省朝阳区", "长春市朝阳区", "吉林省长春市朝阳区", "农安县", "怀德县"):
        assert ambiguity(precise) is None, precise
    # through check: the warning names the cell, the row stays valid
    from awardforms.build.pipeline import check
    from conftest import collective, person, write_workbook
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0, 所在行政区划="朝阳区")], [person(0)])
    sub = check(wb)
    (issue,) = [i for i in sub.report.issues if i.code == "region-ambiguous"]
    assert (issue.sheet, issue.row, issue.column, issue.severity) == ("先进集体", 2, "E", "warning")
    assert not sub.records["先进集体"][0].has_errors
