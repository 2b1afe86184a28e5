import type { CueDefinition } from "./cue.js";

/**
 * Prompt-injection cues in French, German, Spanish, Italian, Portuguese,
 * Turkish, Indonesian, Vietnamese and Tagalog. Templates are written in
 * the prose view: lower-case, with Latin accents dropped, so "précédentes"
 * is written "precedentes".
 * NOTE: these cover overriding instructions, asking for secrets or the
 * system prompt, and jailbreak personas. Other techniques are matched in
 * English only.
 */
export const LATIN_SCRIPT_CUES: readonly CueDefinition[] = [
  // French.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:ignore[rz]?|oublie[rz]?|ne (?:tiens|tenez) (?:pas|plus) compte d[e']|fais abstraction d[e']|faites abstraction d[e']) (?:toutes |tous )?(?:les |tes |vos |ces )?(?:instructions|consignes|directives|regles|ordres|indications|commandes)(?: (?:precedentes|anterieures|ci-dessus|initiales|d'origine|recues))?",
  },
  {
    family: "override",
    score: 0.85,
    template:
      "(?:ignore[rz]?|oublie[rz]?) tout ce (?:qu'on (?:t'a|vous a) dit|que (?:tu as|vous avez) (?:deja )?(?:recu|appris|entendu)|qui precede)",
  },
  {
    family: "secret",
    score: 0.75,
    template:
      "(?:quel(?:le)? est|donne(?:z)?(?:-moi)?|revele(?:z)?|dis(?:-moi)?|partage(?:z)?) (?:ta|votre|le|la) (?:cle secrete|mot de passe|code secret)",
  },
  {
    family: "reveal",
    score: 0.85,
    template:
      "(?:revele|montre|affiche|repete|donne)(?:z|-moi|z-moi)? (?:ton|votre|le|tes|vos) (?:prompt systeme|invite systeme|message systeme|instructions (?:initiales|cachees|systeme))",
  },
  {
    family: "persona",
    score: 0.55,
    template:
      "(?:tu es|vous etes) (?:maintenant|desormais)|a partir de maintenant,? (?:tu|vous)",
  },
  {
    family: "jailbreak",
    score: 0.6,
    template:
      "sans (?:aucune |aucun )?(?:restrictions?|limites?|limitations?|censure|filtres?|regles)|mode (?:developpeur|dieu|sans restriction)",
  },
  // German.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:ignorier(?:e|en sie|t)?|vergiss|vergessen sie|missachte(?:n sie)?|uberspring(?:e|en sie)?) (?:alle |samtliche )?(?:deine |ihre |die |eure )?(?:vorherigen|bisherigen|obigen|vorigen|fruheren|vorhergehenden|ursprunglichen|vorherige|fruhere|bisherige)? ?(?:anweisungen|instruktionen|befehle|regeln|vorgaben|richtlinien|anordnungen)",
  },
  {
    family: "override",
    score: 0.85,
    template:
      "(?:ignorier(?:e|en sie)?|vergiss|vergessen sie) (?:alles|all das),? was (?:dir|ihnen) (?:bisher |zuvor )?(?:gesagt|befohlen|beigebracht) wurde",
  },
  {
    family: "secret",
    score: 0.75,
    template:
      "(?:was ist|wie lautet|nenne mir|verrate mir|gib mir|teile mir) (?:dein|deinen|ihr|ihren|das|den) (?:passwort|geheimen schlussel|geheimer schlussel|kennwort|geheimcode)",
  },
  {
    family: "reveal",
    score: 0.85,
    template:
      "(?:zeige?|nenne|verrate|gib|wiederhole)(?: mir| uns)? (?:deinen|ihren|den) (?:systemprompt|system-prompt|systemanweisungen|ursprunglichen anweisungen)",
  },
  {
    family: "persona",
    score: 0.55,
    template: "du bist (?:jetzt|nun|ab sofort)|ab (?:jetzt|sofort) bist du",
  },
  {
    family: "jailbreak",
    score: 0.6,
    template:
      "ohne (?:jegliche |irgendwelche )?(?:einschrankungen|filter|zensur|regeln|grenzen)|entwicklermodus",
  },
  // Spanish.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:ignora(?:r)?|olvida(?:r|te de)?|olvidate de|haz caso omiso de|no tengas en cuenta|desestima|omite) (?:todas |todos )?(?:las |tus |sus |esas |estas |los )?(?:instrucciones|indicaciones|reglas|ordenes|directrices|normas)(?: (?:anteriores|previas|iniciales|originales))?",
  },
  {
    family: "override",
    score: 0.85,
    template:
      "(?:ignora|olvida) todo lo que (?:te han|se te ha|te hemos) (?:dicho|indicado|ensenado)",
  },
  {
    family: "secret",
    score: 0.75,
    template:
      "(?:cual es|dime|dame|revela(?:me)?|comparte) (?:tu|la|su) (?:contrasena|clave secreta|clave|codigo secreto)",
  },
  {
    family: "reveal",
    score: 0.85,
    template:
      "(?:revela|muestra|repite|dime)(?:me)? (?:tu|el|las|tus) (?:prompt del sistema|mensaje del sistema|instrucciones (?:iniciales|ocultas|del sistema))",
  },
  {
    family: "persona",
    score: 0.55,
    template: "ahora eres|a partir de ahora,? (?:eres|seras|tu)",
  },
  {
    family: "jailbreak",
    score: 0.6,
    template:
      "sin (?:ninguna |ningun )?(?:restricciones?|limitaciones?|censura|filtros?|reglas)|modo (?:desarrollador|dios)",
  },
  // Italian.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:ignora(?:re)?|dimentica(?:re)?|non tenere conto d(?:elle|i)|trascura) (?:tutte )?(?:le |tue |queste )?(?:istruzioni|indicazioni|regole|direttive)(?: (?:precedenti|iniziali|originali))?",
  },
  {
    family: "override",
    score: 0.85,
    template: "(?:ignora|dimentica) tutto (?:cio|quello) che ti e stato detto",
  },
  {
    family: "secret",
    score: 0.75,
    template:
      "(?:qual e|dimmi|dammi|rivela(?:mi)?|condividi) (?:la tua|il tuo) (?:chiave segreta|password|parola d'ordine|codice segreto)",
  },
  {
    family: "reveal",
    score: 0.85,
    template:
      "(?:rivela|mostra|ripeti|dimmi) (?:il tuo|le tue) (?:prompt di sistema|istruzioni (?:iniziali|nascoste|di sistema))",
  },
  {
    family: "persona",
    score: 0.55,
    template: "ora sei|da (?:ora|adesso) in poi,? (?:sei|tu)",
  },
  {
    family: "jailbreak",
    score: 0.6,
    template:
      "senza (?:alcuna )?(?:restrizioni|limitazioni|censura|filtri|regole)|modalita (?:sviluppatore|dio)",
  },
  // Portuguese.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:ignore|ignora|ignorar|esqueca|esquece|esquecer|desconsidere|desconsidera) (?:todas )?(?:as |suas |tuas |essas )*(?:instrucoes|orientacoes|regras|ordens|diretrizes)(?: (?:anteriores|previas|iniciais|originais))?",
  },
  {
    family: "override",
    score: 0.85,
    template:
      "(?:ignore|esqueca) tudo (?:o )?que (?:lhe|te) (?:foi dito|disseram)",
  },
  {
    family: "secret",
    score: 0.75,
    template:
      "(?:qual e|me diga|diga-me|me de|revele|compartilhe) (?:a sua|sua|a tua|tua|a) (?:senha|chave secreta|palavra-passe|codigo secreto)",
  },
  {
    family: "persona",
    score: 0.55,
    template: "agora voce e|a partir de agora,? (?:voce|tu)",
  },
  {
    family: "jailbreak",
    score: 0.6,
    template:
      "sem (?:nenhuma )?(?:restricoes|restricao|limitacoes|censura|filtros|regras)|modo (?:desenvolvedor|deus)",
  },
  // Turkish.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:onceki|yukaridaki|tum|butun) (?:talimatlari|komutlari|kurallari|yonergeleri)(?:ni)? (?:yok say|gormezden gel|unut|dikkate alma|goz ardi et)",
  },
  {
    family: "secret",
    score: 0.75,
    template:
      "(?:gizli anahtar(?:in|iniz)?|sifre(?:n|niz)?|parola(?:n|niz)?) (?:nedir|ne)",
  },
  {
    family: "persona",
    score: 0.55,
    template: "artik sen|gelistirici modu|(?:hicbir )?kisitlama olmadan",
  },
  // Indonesian.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:abaikan|lupakan|acuhkan) (?:semua )?(?:instruksi|perintah|petunjuk|aturan|arahan)(?: (?:sebelumnya|terdahulu|awal))?",
  },
  {
    family: "secret",
    score: 0.75,
    template:
      "(?:apa|berikan|beri tahu) (?:kunci rahasia|kata sandi)(?:mu| anda)?",
  },
  {
    family: "persona",
    score: 0.55,
    template:
      "sekarang (?:kamu|anda) adalah|mode pengembang|tanpa (?:batasan|filter|sensor)",
  },
  // Vietnamese.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:bo qua|quen|phot lo|khong can (?:quan tam|tuan theo)) (?:di )?(?:tat ca )?(?:nhung |cac )?(?:huong dan|chi dan|chi thi|lenh|quy tac|menh lenh)(?: (?:truoc do|truoc|ban dau))?",
  },
  {
    family: "secret",
    score: 0.75,
    template:
      "(?:chia khoa bi mat|khoa bi mat|mat khau)(?: cua ban)? (?:la gi|la)",
  },
  {
    family: "persona",
    score: 0.55,
    template:
      "bay gio ban la|che do nha phat trien|khong (?:co )?(?:gioi han|han che|kiem duyet)",
  },
  // Tagalog.
  {
    family: "override",
    score: 0.9,
    template:
      "(?:kalimutan|huwag pansinin|balewalain|wag pansinin) (?:ang |mo ang )?(?:lahat ng )?(?:iyong |mga )*(?:naunang |nakaraang |dating )?(?:tagubilin|instruksyon|utos|patakaran)",
  },
  {
    family: "secret",
    score: 0.75,
    template:
      "(?:ano ang|sabihin (?:mo )?(?:sa akin )?(?:kung )?ano ang) (?:iyong )?(?:password|lihim na susi|sikretong susi)",
  },
];
