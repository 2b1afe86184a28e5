import type { CueDefinition } from "./cue.js";

/**
 * Prompt-injection cues in Russian, Arabic, Hindi, Bengali, Chinese,
 * Japanese, Korean and Thai. Templates are written in the prose view:
 * lower-case, with Arabic vowel marks dropped and alef forms folded, and
 * Thai in NFKC form. Scripts written without spaces turn off the word
 * boundary test.
 * NOTE: these cover overriding instructions, asking for secrets and
 * jailbreak personas. Other techniques are matched in English only.
 */
export const OTHER_SCRIPT_CUES: readonly CueDefinition[] = [
  // Russian.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:игнорируй(?:те)?|игнорировать|забудь(?:те)?|не обращай(?:те)? внимания на|пренебреги) (?:все |всё )?(?:предыдущие|прежние|предшествующие|вышеуказанные|свои|твои|ваши|данные)? ?(?:инструкции|указания|правила|команды|директивы)",
  },
  {
    family: "override",
    score: 0.85,
    template:
      "(?:игнорируй(?:те)?|забудь(?:те)?) (?:все|всё),? что (?:тебе|вам) (?:говорили|сказали|велели)",
  },
  {
    family: "secret",
    score: 0.75,
    template:
      "(?:какой|каков|скажи|назови|сообщи|раскрой) (?:у (?:тебя|вас) )?(?:твой|ваш|мне)? ?(?:секретный ключ|пароль|секретный код)",
  },
  {
    family: "persona",
    score: 0.55,
    template:
      "теперь ты|отныне ты|режим разработчика|без (?:каких-либо )?(?:ограничений|фильтров|цензуры)",
  },
  // Arabic.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:تجاهل|انس|تغاض(?:ى|ي)? عن|لا تلتزم ب) (?:جميع |كل )?(?:التعليمات|الارشادات|الاوامر|القواعد|تعليماتك|اوامرك)(?: السابقة)?",
  },
  {
    family: "override",
    score: 0.85,
    template: "(?:تجاهل|انس|تغاض(?:ى|ي)? عن) (?:كل|جميع) ما (?:تم|قيل)",
  },
  {
    family: "secret",
    score: 0.75,
    template:
      "(?:ما هو|ما هي|اعطني|اخبرني ب) (?:مفتاحك السري|المفتاح السري|كلمة المرور|كلمة السر)",
  },
  {
    family: "persona",
    score: 0.55,
    template: "انت الان|وضع المطور|بدون (?:اي )?(?:قيود|حدود|رقابة)",
  },
  // Hindi.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:पिछले|पूर्व|पहले के|अपने|सभी)(?: सभी| पिछले)? (?:निर्देशों|निर्देश|नियमों|आदेशों)(?: को| की)? (?:अनदेखा|अनदेखी|भूल|अवहेलना|नजरअंदाज|नज़रअंदाज़|उपेक्षा)",
    bounded: false,
  },
  {
    family: "override",
    score: 0.85,
    template:
      "(?:जो भी|जो कुछ) (?:आपको|तुम्हें) बताया गया है (?:उसे )?(?:अनदेखा|भूल|नजरअंदाज)",
    bounded: false,
  },
  {
    family: "secret",
    score: 0.75,
    template: "(?:गुप्त कुंजी|पासवर्ड|पासकोड)(?: क्या है| बताओ| बताएं| दें)",
    bounded: false,
  },
  // Bengali.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:আগের|পূর্ববর্তী|সব|সমস্ত)(?: সব| আগের)? (?:নির্দেশনা|নির্দেশগুলি|নির্দেশ|নিয়ম)(?:গুলো)? (?:উপেক্ষা কর|ভুলে যা)",
    bounded: false,
  },
  {
    family: "override",
    score: 0.85,
    template: "যা বলা হয়েছে তা উপেক্ষা কর",
    bounded: false,
  },
  {
    family: "secret",
    score: 0.75,
    template: "(?:গোপন চাবি|পাসওয়ার্ড)(?: কি| কী| শেয়ার)",
    bounded: false,
  },
  // Chinese.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:忽略|忽视|无视|無視|忘记|忘記|不要理会|不要理會)(?:掉)?(?:你)?(?:之前|以前|先前|上述|上面|前面|所有|全部|此前)?(?:的)?(?:所有|全部)?(?:的)?(?:指令|指示|说明|說明|提示|规则|規則|命令|要求)",
    bounded: false,
  },
  {
    family: "secret",
    score: 0.75,
    template:
      "(?:你的)?(?:秘密钥|秘钥|密钥|密鑰|密码|密碼|口令)(?:是什么|是什麼|是多少)",
    bounded: false,
  },
  {
    family: "persona",
    score: 0.55,
    template:
      "你现在是|你現在是|开发者模式|開發者模式|(?:没有|沒有|不受)任何(?:限制|过滤|過濾|审查|審查)",
    bounded: false,
  },
  // Japanese.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:以前|前|事前|これまで|上記|先|全て|すべて)の(?:指示|命令|指令|ルール|インストラクション)(?:は|を)?(?:全て|すべて)?(?:無視|忘れ)",
    bounded: false,
  },
  {
    family: "secret",
    score: 0.75,
    template: "(?:秘密の鍵|秘密鍵|パスワード|合言葉)(?:は|を)(?:何|なん|教え)",
    bounded: false,
  },
  {
    family: "persona",
    score: 0.55,
    template: "開発者モード|今からあなたは|制限(?:なし|のない)",
    bounded: false,
  },
  // Korean.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:이전|앞의|모든|기존)(?: 모든)? (?:지시사항|지시|지침|명령|규칙|안내)(?:을|를|은|는|들을)? (?:무시|잊어)",
    bounded: false,
  },
  {
    family: "secret",
    score: 0.75,
    template:
      "(?:비밀 키|비밀번호|암호|패스워드)(?:가|는|를)? (?:무엇|뭐|알려|공유)",
    bounded: false,
  },
  {
    family: "persona",
    score: 0.55,
    template: "개발자 모드|이제부터 (?:너는|당신은)",
    bounded: false,
  },
  // Thai.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:เพิกเฉย(?:ต่อ)?|ละเว้น|ลืม|อย่า(?:ไป)?สนใจ|ไม่ต้องสนใจ)(?:ทุก)?(?:ค\u0E4D\u0E32สั่ง|ค\u0E4D\u0E32แนะน\u0E4D\u0E32|กฎ)",
    bounded: false,
  },
  {
    family: "secret",
    score: 0.75,
    template: "(?:รหัสผ่าน|คีย์ลับ|กุญแจลับ)(?:ของคุณ)?(?:คืออะไร|คือ)",
    bounded: false,
  },
];
