/**
 * Vocabulary data: traditional Chinese characters → simplified, for the characters of the
 * vocabulary (and the grammar words around them). Prompts are converted character by character
 * before segmentation, so "紅色的車", "兩隻貓" and "左邊的人" read like their simplified forms.
 * One character per entry keeps the conversion length-preserving, so every word found in the
 * converted text points back at the characters the user typed.
 *
 * Written as pairs "traditional simplified" to keep the table compact; the tests check that no
 * vocabulary word is written with a traditional character of this table (it would never match).
 */
const PAIRS =
  '與与 東东 兩两 個个 烏乌 書书 於于 產产 親亲 僅仅 從从 們们 夥伙 傘伞 體体 餘余 側侧 倆俩 兒儿 蘭兰 ' +
  '獸兽 軍军 農农 衝冲 沖冲 涼凉 幾几 劃划 辦办 動动 醫医 單单 蔔卜 衛卫 廁厕 廚厨 雙双 發发 髮发 隻只 ' +
  '臺台 檯台 枱台 號号 員员 噴喷 園园 圖图 塊块 壘垒 處处 備备 頭头 夾夹 婦妇 媽妈 嬰婴 學学 寶宝 寵宠 ' +
  '賓宾 對对 爾尔 層层 師师 帶带 幫帮 並并 龐庞 開开 張张 當当 誌志 護护 掛挂 數数 鬥斗 時时 顯显 機机 ' +
  '雜杂 桿杆 條条 鬆松 闆板 極极 櫃柜 標标 槳桨 樓楼 欖榄 檳槟 氣气 漢汉 湯汤 淺浅 遊游 灘滩 燈灯 竈灶 ' +
  '爐炉 點点 熱热 犢犊 獨独 貓猫 電电 畫画 盞盏 蓋盖 盤盘 礦矿 碼码 筆笔 箏筝 籃篮 類类 紅红 紙纸 組组 ' +
  '絨绒 結结 給给 綿绵 綠绿 網网 羅罗 腸肠 鬍胡 腦脑 腳脚 臉脸 蘋苹 蘿萝 薩萨 藍蓝 錶表 襯衬 裝装 褲裤 ' +
  '視视 計计 記记 設设 詞词 話话 說说 請请 課课 調调 貨货 貴贵 賽赛 車车 軌轨 輪轮 載载 轎轿 較较 輛辆 ' +
  '邊边 運运 還还 這这 連连 選选 遙遥 裡里 裏里 鐘钟 鍾钟 鐵铁 銀银 鋪铺 鍵键 長长 間间 鬧闹 陽阳 麵面 ' +
  '麪面 頂顶 領领 頸颈 顆颗 風风 飛飞 飯饭 飾饰 餅饼 馬马 駒驹 駿骏 騎骑 鳥鸟 雞鸡 鷄鸡 鷗鸥 鴉鸦 鴨鸭 ' +
  '鴿鸽 鵝鹅 鵜鹈 鵡鹉 鶘鹕 鸚鹦 鷹鹰 黃黄 牀床 傢家 俱具 衆众 線线 錢钱 麼么 後后 彎弯 著着 ' +
  '舊旧 歲岁 燒烧 雲云 雖虽 關关 齊齐 總总 應应 該该 別别 門门 團团 隊队 陰阴 難难 ' +
  '壺壶 濕湿 穩稳 專专 讓让 樣样 實实 際际 黨党 葉叶 靈灵 戲戏 歡欢 變变 訂订 鉛铅 鋼钢 橫横 ';

export const TRADITIONAL_TO_SIMPLIFIED: ReadonlyMap<string, string> = new Map(
  PAIRS.trim().split(/\s+/).map((pair) => {
    const [t, s] = [...pair];
    return [t, s] as [string, string];
  }),
);

/** One character, traditional → simplified (others unchanged). */
export function toSimplifiedChar(ch: string): string {
  return TRADITIONAL_TO_SIMPLIFIED.get(ch) ?? ch;
}
