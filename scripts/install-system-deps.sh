#!/usr/bin/env bash
# System packages awardforms needs for PDF output (`render --pdf`), on Debian/Ubuntu:
#   libreoffice-writer-nogui  the converter (soffice --headless)
#   fonts-noto-cjk            Noto Serif/Sans CJK SC: 宋体, 黑体 and the title fonts
#   texlive-lang-chinese      FandolFang (仿宋), FandolKai (楷体); Debian has no smaller package
#                             shipping the Fandol fonts (checked: apt-cache search fandol)
#   poppler-utils             pdffonts / pdftotext, used by the tests
#   chromium, chromium-driver headless browser for the web page tests (tests/web/, Selenium)
# Idempotent: does nothing when everything is there. Usage: bash scripts/install-system-deps.sh
set -euo pipefail

FANDOL_DIRS=(
  /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
  /usr/share/texmf/fonts/opentype/public/fandol
)
PACKAGES=(libreoffice-writer-nogui fonts-noto-cjk texlive-lang-chinese poppler-utils chromium chromium-driver)

have_soffice() { command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; }
have_fandol() {
  local d
  for d in "${FANDOL_DIRS[@]}"; do [[ -f "$d/FandolFang-Regular.otf" ]] && return 0; done
  return 1
}
have_noto() { [[ -n "$(fc-list "Noto Serif CJK SC" family 2>/dev/null)" ]]; }
have_poppler() { command -v pdffonts >/dev/null 2>&1; }
have_chromium() { command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; }

if have_soffice && have_fandol && have_noto && have_poppler && have_chromium; then
  echo "系统依赖已齐全（LibreOffice、FandolFang、Noto CJK、poppler-utils、Chromium），无需安装。"
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    exec sudo -n bash "$0" "$@"
  fi
  echo "缺少生成 PDF 所需的系统软件包，请以管理员身份安装：" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${PACKAGES[*]}" >&2
  echo "（或用 root 运行：sudo bash scripts/install-system-deps.sh）" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "本机没有 apt-get，请用系统的包管理器安装 LibreOffice Writer、Noto CJK 字体、Fandol 字体（TeX Live 中文包）和 poppler-utils。" >&2
  exit 1
fi

apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PACKAGES[@]}"
echo "系统依赖安装完成。"
