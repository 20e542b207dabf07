// SPDX-License-Identifier: GPL-3.0-or-later
#include "tee-backend/engines/lang.h"

#include <unicode/unistr.h>

#include <array>
#include <string>
#include <unordered_set>

namespace sotto::engines {
namespace {

// --- English -------------------------------------------------------------
constexpr PhraseRule kEnConcise[] = {
    { "at this point in time", "now" },
    { "at the present time", "now" },
    { "in the near future", "soon" },
    { "due to the fact that", "because" },
    { "in spite of the fact that", "although" },
    { "in order to", "to" },
    { "for the purpose of", "for" },
    { "in the event that", "if" },
    { "a large number of", "many" },
    { "the majority of", "most" },
    { "it is important to note that", "" },
    { "please note that", "" },
    { "i just wanted to let you know that", "" },
    { "i just wanted to say that", "" },
    { "i wanted to let you know that", "" },
    { "just to let you know", "" },
    { "as a matter of fact", "" },
    { "needless to say", "" },
    { "at the end of the day", "" },
    { "each and every", "every" },
    { "first and foremost", "first" },
    { "basically", "" },
    { "actually", "" },
    { "really", "" },
    { "very", "" },
    { "just", "" },
    { "literally", "" },
    { "totally", "" },
    { "honestly", "" },
    { "completely finished", "finished" },
    { "past history", "history" },
    { "end result", "result" },
    { "future plans", "plans" },
    { "advance planning", "planning" },
    { "free gift", "gift" },
    { "whether or not", "whether" },
};
constexpr PhraseRule kEnFormal[] = {
    { "don't", "do not" },
    { "doesn't", "does not" },
    { "didn't", "did not" },
    { "can't", "cannot" },
    { "couldn't", "could not" },
    { "won't", "will not" },
    { "wouldn't", "would not" },
    { "shouldn't", "should not" },
    { "isn't", "is not" },
    { "aren't", "are not" },
    { "wasn't", "was not" },
    { "weren't", "were not" },
    { "haven't", "have not" },
    { "hasn't", "has not" },
    { "hadn't", "had not" },
    { "i'm", "I am" },
    { "i've", "I have" },
    { "i'll", "I will" },
    { "i'd", "I would" },
    { "you're", "you are" },
    { "you've", "you have" },
    { "you'll", "you will" },
    { "we're", "we are" },
    { "we've", "we have" },
    { "we'll", "we will" },
    { "they're", "they are" },
    { "they'll", "they will" },
    { "it's been", "it has been" },
    { "it's", "it is" },
    { "that's", "that is" },
    { "there's", "there is" },
    { "what's", "what is" },
    { "let's", "let us" },
    { "gonna", "going to" },
    { "wanna", "want to" },
    { "gotta", "have to" },
    { "kinda", "somewhat" },
    { "yeah", "yes" },
    { "yep", "yes" },
    { "nope", "no" },
    { "^hey", "hello" },
    { "^hi", "hello" },
    { "thanks a lot", "thank you very much" },
    { "thanks", "thank you" },
    { "thx", "thank you" },
    { "pls", "please" },
    { "plz", "please" },
    { "asap", "as soon as possible" },
    { "btw", "by the way" },
    { "fyi", "for your information" },
    { "u", "you" },
    { "ur", "your" },
    { "get back to you", "reply to you" },
    { "check out", "review" },
    { "find out", "determine" },
    { "figure out", "determine" },
    { "kids", "children" },
    { "^cheers", "kind regards" },
    { "lol", "" },
};
constexpr PhraseRule kEnFriendly[] = {
    { "do not", "don't" },
    { "does not", "doesn't" },
    { "did not", "didn't" },
    { "cannot", "can't" },
    { "will not", "won't" },
    { "would not", "wouldn't" },
    { "is not", "isn't" },
    { "are not", "aren't" },
    { "have not", "haven't" },
    { "i am", "I'm" },
    { "i will", "I'll" },
    { "i would like to", "I'd like to" },
    { "we are", "we're" },
    { "we will", "we'll" },
    { "you are", "you're" },
    { "it is", "it's" },
    { "that is", "that's" },
    { "let us", "let's" },
    { "^dear", "hi" },
    { "^good morning", "hi" },
    { "^good afternoon", "hi" },
    { "^hello", "hi" },
    { "^kind regards", "cheers" },
    { "^best regards", "cheers" },
    { "^yours sincerely", "cheers" },
    { "^sincerely", "cheers" },
    { "thank you very much", "thanks a lot" },
    { "thank you", "thanks" },
    { "please be advised that", "" },
    { "we regret to inform you that", "sorry," },
    { "regarding", "about" },
    { "utilize", "use" },
    { "purchase", "buy" },
    { "commence", "start" },
    { "assist", "help" },
    { "require", "need" },
    { "inquire", "ask" },
    { "sufficient", "enough" },
    { "prior to", "before" },
    { "subsequently", "then" },
    { "in addition", "also" },
};

// --- German --------------------------------------------------------------
// No "ich wollte nur kurz sagen, dass": after "dass" the verb comes last, so
// the clause cannot stand alone ("Der Bericht fertig ist").
constexpr PhraseRule kDeConcise[] = {
    { "im grunde genommen", "" },
    { "eigentlich", "" },
    { "halt", "" },
    { "sozusagen", "" },
    { "quasi", "" },
    { "irgendwie", "" },
    { "wirklich", "" },
    { "sehr", "" },
    { "ehrlich gesagt", "" },
    { "zum jetzigen zeitpunkt", "jetzt" },
    { "aufgrund der tatsache, dass", "weil" },
};
constexpr PhraseRule kDeFormal[] = {
    { "^hi", "guten Tag" },
    { "^hallo", "guten Tag" },
    { "^hey", "guten Tag" },
    { "danke", "vielen Dank" },
    { "thx", "vielen Dank" },
    { "^lg", "mit freundlichen Grüßen" },
    { "^vg", "mit freundlichen Grüßen" },
    { "^liebe grüße", "mit freundlichen Grüßen" },
    { "^viele grüße", "mit freundlichen Grüßen" },
    { "^bis dann", "mit freundlichen Grüßen" },
    { "^ciao", "mit freundlichen Grüßen" },
    { "kannste", "können Sie" },
    { "haste", "haben Sie" },
    { "gibt's", "gibt es" },
    { "geht's", "geht es" },
    { "ok", "in Ordnung" },
    { "okay", "in Ordnung" },
    { "bzw", "beziehungsweise" },
    { "asap", "so bald wie möglich" },
    { "jo", "ja" },
    { "ne", "nein" },
    { "nö", "nein" },
};
constexpr PhraseRule kDeFriendly[] = {
    { "^sehr geehrte damen und herren", "hallo zusammen" },
    { "^sehr geehrte", "liebe" },
    { "^sehr geehrter", "lieber" },
    { "^guten tag", "hallo" },
    { "^mit freundlichen grüßen", "viele Grüße" },
    { "^freundliche grüße", "viele Grüße" },
    { "vielen dank", "danke" },
    { "hiermit teilen wir ihnen mit, dass", "" },
    { "bezüglich", "zu" },
    { "beziehungsweise", "bzw." },
};

// --- French --------------------------------------------------------------
constexpr PhraseRule kFrConcise[] = {
    { "en fait", "" },
    { "franchement", "" },
    { "vraiment", "" },
    { "très", "" },
    { "du coup", "" },
    { "genre", "" },
    { "à l'heure actuelle", "actuellement" },
    { "en raison du fait que", "parce que" },
    { "afin de", "pour" },
    { "je voulais juste dire que", "" },
};
constexpr PhraseRule kFrFormal[] = {
    { "^salut", "bonjour" },
    { "^coucou", "bonjour" },
    { "merci", "je vous remercie" },
    { "stp", "s'il vous plaît" },
    { "svp", "s'il vous plaît" },
    { "s'il te plaît", "s'il vous plaît" },
    { "^bisous", "cordialement" },
    { "^bises", "cordialement" },
    { "^à plus", "cordialement" },
    { "ouais", "oui" },
    { "ok", "d'accord" },
    { "truc", "chose" },
    { "bosser", "travailler" },
    { "boulot", "travail" },
    { "asap", "dès que possible" },
};
constexpr PhraseRule kFrFriendly[] = {
    { "^madame, monsieur", "bonjour" },
    { "je vous prie d'agréer l'expression de mes salutations distinguées", "à bientôt" },
    { "^cordialement", "à bientôt" },
    { "^bien cordialement", "à bientôt" },
    { "je vous remercie", "merci" },
    { "nous vous informons que", "" },
    { "concernant", "pour" },
};

// --- Spanish -------------------------------------------------------------
constexpr PhraseRule kEsConcise[] = {
    { "en realidad", "" },
    { "básicamente", "" },
    { "realmente", "" },
    { "muy", "" },
    { "o sea", "" },
    { "la verdad es que", "" },
    { "en este momento", "ahora" },
    { "debido al hecho de que", "porque" },
    { "con el fin de", "para" },
    { "solo quería decir que", "" },
};
constexpr PhraseRule kEsFormal[] = {
    { "^hola", "buenos días" },
    { "porfa", "por favor" },
    { "xfa", "por favor" },
    { "pls", "por favor" },
    { "gracias", "muchas gracias" },
    { "^besos", "atentamente" },
    { "^un abrazo", "atentamente" },
    { "^chao", "atentamente" },
    { "vale", "de acuerdo" },
    { "ok", "de acuerdo" },
    { "q", "que" },
    { "xq", "porque" },
    { "tb", "también" },
};
constexpr PhraseRule kEsFriendly[] = {
    { "^estimado señor", "hola" },
    { "^estimada señora", "hola" },
    { "^estimados señores", "hola a todos" },
    { "^estimado", "hola" },
    { "^estimada", "hola" },
    { "^atentamente", "un abrazo" },
    { "^le saluda atentamente", "un abrazo" },
    { "muchas gracias", "gracias" },
    { "le informamos que", "" },
    { "con respecto a", "sobre" },
};

// --- Russian -------------------------------------------------------------
constexpr PhraseRule kRuConcise[] = {
    { "на самом деле", "" },
    { "в принципе", "" },
    { "как бы", "" },
    { "короче", "" },
    { "типа", "" },
    { "очень", "" },
    { "реально", "" },
    { "в данный момент", "сейчас" },
    { "в связи с тем, что", "потому что" },
    { "для того чтобы", "чтобы" },
};
constexpr PhraseRule kRuFormal[] = {
    { "^привет", "здравствуйте" },
    { "^приветик", "здравствуйте" },
    { "спс", "спасибо" },
    { "пасиб", "спасибо" },
    { "пжл", "пожалуйста" },
    { "плз", "пожалуйста" },
    { "^пока", "с уважением" },
    { "ок", "хорошо" },
    { "окей", "хорошо" },
    { "щас", "сейчас" },
    { "чё", "что" },
    { "че", "что" },
    { "норм", "нормально" },
};
constexpr PhraseRule kRuFriendly[] = {
    { "^здравствуйте", "привет" },
    { "уважаемый", "дорогой" },
    { "уважаемая", "дорогая" },
    { "^с уважением", "пока" },
    { "сообщаем вам, что", "" },
    { "благодарю вас", "спасибо" },
};

// --- Portuguese ----------------------------------------------------------
constexpr PhraseRule kPtConcise[] = {
    { "na verdade", "" },
    { "basicamente", "" },
    { "realmente", "" },
    { "muito", "" },
    { "tipo", "" },
    { "neste momento", "agora" },
    { "devido ao facto de que", "porque" },
    { "devido ao fato de que", "porque" },
    { "a fim de", "para" },
    { "só queria dizer que", "" },
};
constexpr PhraseRule kPtFormal[] = {
    { "^oi", "bom dia" },
    { "^olá", "bom dia" },
    { "vc", "você" },
    { "vcs", "vocês" },
    { "obg", "obrigado" },
    { "pfv", "por favor" },
    { "pf", "por favor" },
    { "^bjs", "atenciosamente" },
    { "^beijos", "atenciosamente" },
    { "^abraço", "atenciosamente" },
    { "tá", "está" },
    { "pra", "para" },
    { "ok", "de acordo" },
    { "tb", "também" },
    { "q", "que" },
};
constexpr PhraseRule kPtFriendly[] = {
    { "^prezado senhor", "olá" },
    { "^prezada senhora", "olá" },
    { "^prezados", "olá a todos" },
    { "^prezado", "olá" },
    { "^prezada", "olá" },
    { "^atenciosamente", "abraço" },
    { "^com os melhores cumprimentos", "abraço" },
    { "informamos que", "" },
    { "muito obrigado", "obrigado" },
};

const std::array<LangData, 6> kLangs = { {
    { Lang::En, "en", "English", "english", "en", "en_US",
        "a about above after again against all am an and any are as at be because been before "
        "being below between both but by can could did do does doing down during each few for from "
        "further had has have having he her here hers herself him himself his how i if in into is "
        "it its itself me more most my myself no nor not of off on once only or other our ours "
        "ourselves out over own same she should so some such than that the their theirs them "
        "themselves then there these they this those through to too under until up very was we "
        "were what when where which while who whom why will with would you your yours yourself "
        "yourselves i'm i'll i've i'd you're we're it's that's don't can't won't isn't let's ok "
        "okay "
        "yes yeah no hi hey thanks thank also just really get got go going one like well oh sure",
        "we decided|we've decided|we have decided|decided to|decision:|decision is|let's go with|"
        "we'll go with|we will go with|going with|agreed|we agree|it's settled|settled on|"
        "final answer|approved|we'll use|we will use|the plan is|plan is to|confirmed|"
        "we're going with|we are going with|signed off|let's|let us|decided|go ahead|that works|"
        "sounds good|works for me|fine by me|that's the plan|good idea",
        "i'll|i will|i'm going to|i am going to|i can take|i'll take|i'll handle|let me|"
        "i'll do|i'll send|i'll check|i'll book|i'll call|i'll ask|i'll write|on it|i'll fix|"
        "i'll prepare|i'll update|i'll look",
        "can you|could you|would you|please|pls|can someone|could someone|someone needs to|"
        "needs to|need to|has to|have to|must|should|todo|to do:|action:|remember to|"
        "don't forget to|make sure",
        "by|before|until|till|no later than|due|on|at|this|next|tonight",
        "today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
        "weekend|week|month|eod|eow|noon|morning|afternoon|evening|january|february|march|"
        "april|may|june|july|august|september|october|november|december|asap",
        "yes|no|yeah|yep|nope|sure|ok|okay|probably|maybe|definitely|nah|correct|right|exactly", "",
        "had|that", kEnConcise, kEnFormal, kEnFriendly, false },
    { Lang::De, "de", "German", "german", "de", "de_DE",
        "aber alle allem allen aller alles als also am an ander andere anderem anderen anderer "
        "anderes auch auf aus bei bin bis bist da damit dann das dass daß dein deine dem den der "
        "des dich dir doch dort du durch ein eine einem einen einer eines er es etwas euch euer "
        "für gegen hab habe haben hat hatte hier hin hinter ich ihm ihn ihnen ihr ihre im in ist "
        "ja jede jedem jeden jeder jetzt kann kein keine können machen man mein meine mich mir mit "
        "muss nach nicht nichts noch nun nur ob oder ohne sehr sein seine sich sie sind so soll "
        "sollen über um und uns unser unter viel vom von vor war waren warum was weil welche wenn "
        "wer wie wieder wir wird wo zu zum zur okay ok danke hallo gut mal schon",
        "wir haben entschieden|entschieden|beschlossen|wir nehmen|nehmen wir|machen wir so|"
        "wir machen|abgemacht|einverstanden|lass uns|lasst uns|gute idee|so machen wir "
        "es|passt|dann nehmen wir|einigen uns|geeinigt|es bleibt bei|final:|"
        "entscheidung:|ist beschlossen|freigegeben|wir gehen mit",
        "ich mache|ich kümmere mich|ich übernehme|ich schicke|ich rufe|ich buche|ich frage|"
        "ich schreibe|ich prüfe|ich kläre|mache ich|übernehme ich|kümmere mich|ich werde|ich hole",
        "kannst du|könntest du|können sie|könnten sie|bitte|muss|müssen|sollte|sollten|"
        "denk dran|nicht vergessen|todo",
        "bis|vor|am|spätestens|nächste|nächsten|diese|diesen|heute|morgen",
        "heute|morgen|übermorgen|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
        "wochenende|woche|monat|januar|februar|märz|april|mai|juni|juli|august|september|"
        "oktober|november|dezember|abend|mittag|früh",
        "ja|nein|jo|nö|klar|genau|doch|vielleicht|richtig|stimmt", "", "die|der|das", kDeConcise,
        kDeFormal, kDeFriendly, false },
    { Lang::Fr, "fr", "French", "french", "fr", "fr_FR",
        "au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me "
        "même mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te "
        "tes toi ton tu un une vos votre vous c d j l à m n s t y été être avoir ai as avons avez "
        "ont est sont était cette cet ça ca oui non merci bonjour salut si plus très bien aussi "
        "alors donc comme tout tous fait faire peut",
        "on a décidé|nous avons décidé|décidé|c'est décidé|on part sur|on prend|on garde|"
        "validé|d'accord pour|on est d'accord|accord:|décision:|c'est acté|acté|on valide|"
        "approuvé|on choisit|on retient|allons-y|on fait comme ça|ça marche|bonne idée|va pour|on "
        "y va",
        "je m'en occupe|je vais|je fais|j'envoie|j'appelle|je réserve|je prépare|je vérifie|"
        "je demande|je m'occupe|je regarde|je passe",
        "peux-tu|pourrais-tu|pouvez-vous|pourriez-vous|s'il te plaît|s'il vous plaît|stp|svp|"
        "il faut|faut|doit|devons|devez|n'oublie pas|penser à|pense à",
        "avant|d'ici|jusqu'à|pour|le|ce|cette|prochain|prochaine",
        "aujourd'hui|demain|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|semaine|mois|"
        "soir|matin|midi|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
        "novembre|décembre|week-end",
        "oui|non|ouais|si|d'accord|ok|peut-être|exactement|carrément", "", "nous|vous", kFrConcise,
        kFrFormal, kFrFriendly, true },
    { Lang::Es, "es", "Spanish", "spanish", "es", "es_ES",
        "a al algo algunas algunos ante antes como con contra cual cuando de del desde donde "
        "durante e el ella ellas ellos en entre era es esa esas ese eso esos esta estas este esto "
        "estos ha han hay la las le les lo los me mi mis mucho muy más nada ni no nos nosotros o "
        "os otra otro para pero poco por porque que qué quien se sea ser si sin sobre son su sus "
        "también te tu tus un una uno unos y ya yo está están estoy vale sí hola gracias bien",
        "decidimos|hemos decidido|decidido|queda decidido|vamos con|nos quedamos con|acordamos|"
        "de acuerdo en|aprobado|confirmado|decisión:|lo dejamos en|elegimos|está decidido|hagamos|"
        "me parece bien|estoy de acuerdo|de acuerdo",
        "yo me encargo|me encargo|voy a|yo hago|envío|llamo|reservo|preparo|reviso|pregunto|"
        "yo lo hago|lo hago yo",
        "puedes|podrías|puede usted|podría|por favor|porfa|hay que|tienes que|tenemos que|"
        "debe|debemos|no olvides|acuérdate de",
        "antes|para el|hasta|el|este|esta|próximo|próxima",
        "hoy|mañana|pasado mañana|lunes|martes|miércoles|jueves|viernes|sábado|domingo|semana|"
        "mes|tarde|noche|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|"
        "noviembre|diciembre|finde",
        "sí|no|vale|claro|bueno|quizás|exacto|correcto", "", "", kEsConcise, kEsFormal, kEsFriendly,
        false },
    { Lang::Ru, "ru", "Russian", "russian", "ru", "ru_RU",
        "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только "
        "ее её мне было вот от меня еще ещё нет о из ему теперь когда даже ну вдруг ли если уже "
        "или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они "
        "тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под "
        "будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем "
        "чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после "
        "над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо "
        "свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это "
        "ок привет спасибо",
        "решили|мы решили|решено|договорились|берём|берем|выбираем|останавливаемся на|"
        "утвердили|утверждено|согласовали|решение:|итак,|остаёмся с|остаемся с|принято|"
        "давайте|так и сделаем|согласен|согласна|решено",
        "я сделаю|сделаю|я займусь|займусь|я отправлю|отправлю|я позвоню|позвоню|я закажу|"
        "закажу|я проверю|проверю|я напишу|напишу|беру на себя|я подготовлю|подготовлю",
        "можешь|можете|сможешь|не могли бы|пожалуйста|надо|нужно|необходимо|должен|должна|"
        "должны|не забудь|не забудьте",
        "до|к|в|во|на|следующей|следующий|этой|этот",
        "сегодня|завтра|послезавтра|понедельник|вторник|среда|среду|четверг|пятница|пятницу|"
        "суббота|субботу|субботы|пятницы|пятнице|понедельника|понедельнику|вторника|среды|среде|"
        "четверга|воскресенья|воскресенье|неделе|неделю|месяц|вечером|утром|января|февраля|марта|"
        "апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря",
        "да|нет|ага|конечно|наверное|ок|точно|угу", "", "", kRuConcise, kRuFormal, kRuFriendly,
        false },
    { Lang::Pt, "pt", "Portuguese", "portuguese", "pt", "pt_PT",
        "a ao aos as até com como da das de dela dele deles do dos e ela elas ele eles em entre "
        "era essa esse esta este eu foi for há isso isto já lhe mais mas me mesmo meu minha muito "
        "na não nas nem no nos nós nossa nosso num numa o os ou para pela pelo por qual quando que "
        "quem se sem ser seu sua são só também te tem tu um uma você vocês vos está estou sim olá "
        "obrigado obrigada bem vai vamos então",
        "decidimos|ficou decidido|decidido|vamos com|ficamos com|combinado|acordámos|acordamos|"
        "aprovado|confirmado|decisão:|fica assim|escolhemos|está decidido|concordo|"
        "boa ideia|fica aprovado|ficou decidido|vamos a|vamos com",
        "eu trato|trato eu|vou|eu faço|envio|ligo|reservo|preparo|verifico|pergunto|"
        "eu fico com|fico com|deixa comigo",
        "podes|podias|pode|poderia|por favor|pfv|é preciso|temos de|temos que|tens de|tens que|"
        "deve|devemos|não te esqueças|não esqueça|lembra-te de",
        "até|antes de|para|no|na|este|esta|próximo|próxima",
        "hoje|amanhã|depois de amanhã|segunda|terça|quarta|quinta|sexta|sábado|domingo|semana|"
        "mês|tarde|noite|manhã|janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|"
        "outubro|novembro|dezembro|fim de semana",
        "sim|não|claro|talvez|ok|exato|certo", "", "", kPtConcise, kPtFormal, kPtFriendly, false },
} };

std::string lowerAscii(std::string_view s)
{
    std::string out(s);
    for (auto &c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

struct StopSets {
    std::array<std::unordered_set<std::string_view>, 6> sets;
    StopSets()
    {
        for (size_t i = 0; i < kLangs.size(); ++i) {
            std::string_view list = kLangs[i].stopwords;
            while (!list.empty()) {
                auto sp = list.find(' ');
                auto w = list.substr(0, sp);
                if (!w.empty())
                    sets[i].insert(w);
                if (sp == std::string_view::npos)
                    break;
                list.remove_prefix(sp + 1);
            }
        }
    }
};

const StopSets &stopSets()
{
    static const StopSets s; // immutable after construction (thread-safe static init)
    return s;
}

// Decodes one UTF-8 code point at s[i]; advances i. Invalid bytes yield U+FFFD.
char32_t nextCodePoint(std::string_view s, size_t &i)
{
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + static_cast<size_t>(len) > s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = len == 1 ? b : (b & (0x7F >> len));
    for (int k = 1; k < len; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
    i += static_cast<size_t>(len);
    return cp;
}

} // namespace

const LangData &langData(Lang lang)
{
    return kLangs[static_cast<size_t>(lang)];
}

std::optional<Lang> parseLang(std::string_view tag)
{
    auto primary = lowerAscii(tag.substr(0, tag.find_first_of("-_")));
    for (const auto &d : kLangs)
        if (primary == d.code)
            return d.lang;
    return std::nullopt;
}

std::optional<Lang> detectLang(std::string_view text)
{
    // The first 64 KiB are plenty to tell these languages apart.
    text = text.substr(0, 64 * 1024);
    size_t latin = 0, cyrillic = 0, other = 0;
    std::array<size_t, 6> hits {};
    std::string word;
    auto flush = [&] {
        if (word.empty())
            return;
        std::string lower;
        icu::UnicodeString::fromUTF8(word).toLower().toUTF8String(lower);
        for (size_t k = 0; k < kLangs.size(); ++k)
            if (stopSets().sets[k].count(lower))
                ++hits[k];
        word.clear();
    };
    for (size_t i = 0; i < text.size();) {
        size_t start = i;
        char32_t cp = nextCodePoint(text, i);
        bool letter = false;
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')
            || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7)) {
            ++latin;
            letter = true;
        } else if (cp >= 0x400 && cp <= 0x4FF) {
            ++cyrillic;
            letter = true;
        } else if (cp == '\'' || cp == 0x2019) {
            letter = !word.empty();
        } else if ((cp >= 0x370 && cp < 0x2000) || (cp >= 0x3000 && cp < 0xFE00)) {
            ++other; // Greek, Hebrew, Arabic, Indic, CJK, ...
        }
        if (letter)
            word.append(text.substr(start, i - start));
        else
            flush();
    }
    flush();
    if (other > latin + cyrillic)
        return std::nullopt;
    if (cyrillic > latin)
        return Lang::Ru;
    if (latin == 0)
        return Lang::En; // digits, emoji, punctuation only: any language will do
    size_t best = 0;
    for (size_t k = 1; k < hits.size(); ++k)
        if (k != static_cast<size_t>(Lang::Ru) && hits[k] > hits[best])
            best = k;
    return kLangs[best].lang;
}

} // namespace sotto::engines
