import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadTheme, splitFonts } from './themes.ts';

describe('themes', () => {
  describe('splitFonts', () => {
    it('moves @font-face blocks out and lets them swap in', () => {
      const css = '@font-face{font-family:A;src:url(data:font/woff;base64,AAAA)}.reveal{color:red}@font-face{font-family:B;src:url(b.woff);font-display:block}';
      const { rest, fonts } = splitFonts(css);
      assert.equal(rest, '.reveal{color:red}');
      assert.match(fonts, /font-family:A;src:url\(data:font\/woff;base64,AAAA\);font-display:swap\}/);
      assert.match(fonts, /font-display:block\}/, 'an explicit font-display is kept');
    });
  });

  describe('loadTheme', () => {
    it('serves black without its embedded fonts, which become their own asset', async () => {
      const theme = await loadTheme('black');
      assert.ok(theme);
      assert.ok(theme.body.length < 20_000, `theme is ${theme.body.length} bytes`);
      assert.doesNotMatch(theme.body.toString(), /@font-face/);
      assert.ok(theme.fonts && theme.fonts.body.length > 100_000);
      assert.notEqual(theme.fonts.hash, theme.hash);
    });

    it('has no fonts asset for a theme without embedded fonts', async () => {
      const theme = await loadTheme('simple');
      assert.equal(theme?.fonts, null);
    });
  });
});
