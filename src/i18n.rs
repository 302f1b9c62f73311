//! Widget messages in English, French, Simplified and Traditional Chinese. Pure (tested natively).
//!
//! One table keyed by [`Msg`]: every message has every language (the compiler checks it). Every
//! typed value the widget shows (a wallet, a picker reason, a camera failure, an amount error, a
//! result notice, a payload error or warning) maps to a message by an exhaustive `match`, so a new
//! variant does not compile until it has its words. Placeholders are `{name}`; [`Locale::fmt`]
//! fills them.

/// A supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    En,
    Fr,
    ZhHans,
    ZhHant,
}

impl Locale {
    /// Match a BCP 47 tag (`fr-CA`, `zh-TW`, `zh-Hant-HK`, `zh`, `en-GB` …). `None` for other languages.
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let t = tag.trim().replace('_', "-").to_ascii_lowercase();
        let lang = t.split('-').next().unwrap_or("");
        match lang {
            "en" => Some(Locale::En),
            "fr" => Some(Locale::Fr),
            "zh" => {
                let rest: Vec<&str> = t.split('-').skip(1).collect();
                if rest.iter().any(|s| *s == "hant" || *s == "tw" || *s == "hk" || *s == "mo") && !rest.contains(&"hans") {
                    Some(Locale::ZhHant)
                } else {
                    Some(Locale::ZhHans)
                }
            }
            _ => None,
        }
    }

    /// The first supported tag of a preference list, else English.
    pub fn negotiate<'a>(tags: impl IntoIterator<Item = &'a str>) -> Locale {
        tags.into_iter().find_map(Locale::from_tag).unwrap_or(Locale::En)
    }

    /// The tag given to `Intl` and to the `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fr => "fr",
            Locale::ZhHans => "zh-CN",
            Locale::ZhHant => "zh-TW",
        }
    }

    fn index(self) -> usize {
        match self {
            Locale::En => 0,
            Locale::Fr => 1,
            Locale::ZhHans => 2,
            Locale::ZhHant => 3,
        }
    }

    /// Chinese: sentences end with "。" and take no spaces.
    pub fn is_cjk(self) -> bool {
        matches!(self, Locale::ZhHans | Locale::ZhHant)
    }

    pub const ALL: [Locale; 4] = [Locale::En, Locale::Fr, Locale::ZhHans, Locale::ZhHant];

    pub fn t(self, m: Msg) -> &'static str {
        table(m)[self.index()]
    }

    /// The message with its `{placeholders}` filled.
    pub fn fmt(self, m: Msg, args: &[(&str, &str)]) -> String {
        let mut s = self.t(m).to_string();
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }
}

macro_rules! messages {
    ($($m:ident),* $(,)?) => {
        /// Message ids.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Msg {
            $($m,)*
        }

        impl Msg {
            /// Every message (for the completeness tests).
            pub const ALL: &'static [Msg] = &[$(Msg::$m,)*];
        }
    };
}

messages! {
    ScanToPay,
    DialogTitle,
    Close,
    PointCamera,
    HintMoveCloser,
    HintHoldStill,
    HintMoreLight,
    HintMoreLightTorch,
    HintCheckUnavailable,
    StartingCamera,
    TorchOn,
    TorchOff,
    SwitchCamera,
    Zoom,
    FromGallery,
    PasteImage,
    OtherWays,
    ErrDenied,
    ErrNoCamera,
    ErrInUse,
    ErrInsecure,
    ErrCameraOther,
    ErrDeniedTitle,
    ErrNoCameraTitle,
    ErrInUseTitle,
    ErrInsecureTitle,
    ErrCameraOtherTitle,
    TryCameraAgain,
    ReadingImage,
    NoCodeInImage,
    NoImageInClipboard,
    ClipboardUnavailable,
    ImageUnreadable,
    NotPaymentTitle,
    NotPaymentBody,
    NotPaymentLink,
    Copy,
    Copied,
    ScanAgain,
    InvalidTitle,
    InvalidBody,
    InvalidWhere,
    InvalidDamaged,
    InvalidIncomplete,
    InvalidCurrency,
    InvalidExpired,
    InvalidRules,
    InvalidNoPayee,
    InvalidAccount,
    InvalidConflict,
    InvalidUnsupported,
    TechnicalDetails,
    ConfirmTitle,
    PayTo,
    Amount,
    AmountFixed,
    AmountEnter,
    TipOptional,
    FeeFixed,
    FeePercent,
    TipAsked,
    Total,
    AcceptedBy,
    PayWith,
    WalletUnavailable,
    NoWallet,
    PayButton,
    PayButtonNoName,
    AmountErrEmpty,
    AmountErrInvalid,
    AmountErrDecimals,
    AmountErrWhole,
    AmountErrZero,
    AmountErrTooLarge,
    NoCurrency,
    BadCodeAmount,
    CreatingOrder,
    WaitingWallet,
    ConfirmingMerchant,
    SuccessTitle,
    SuccessBody,
    CancelledTitle,
    CancelledBody,
    FailedTitle,
    PendingTitle,
    PendingBody,
    CheckAgain,
    Retry,
    Done,
    OrderFailed,
    OrderUnreadable,
    NetworkError,
    WalletFailed,
    MerchantFailed,
    Warning,
    Reference,
    CodeScanned,
    UnknownPayee,
    PayeeConfirmed,
    PayeeUnverified,
    OrderNumber,
    PaidAt,
    NoOrderUrl,
    WalletSandbox,
    WalletWechatJsapi,
    WalletWechatMiniProgram,
    WalletAlipayApp,
    WalletAlipayMiniProgram,
    WalletUnionpay,
    WalletPaymentRequest,
    WalletDeepLink,
    ROpenInWechat,
    ROpenInWechatMiniProgram,
    RUseMiniProgramPayment,
    RWechatJssdkMissing,
    ROpenInAlipay,
    ROpenInAlipayMiniProgram,
    RAlipayJssdkMissing,
    ROpenInUnionpayApp,
    RUnionpaySdkMissing,
    RNoPaymentHandler,
    ROpenInMobileBrowser,
    ROpenOnPhone,
    RNotSupportedForScheme,
    RSandboxNotLoaded,
    OtherWallets,
    WLookalike,
    WInsecureUrl,
    WExpired,
    WCountryCurrency,
    WCountryScheme,
    WAmountZero,
    WContractCall,
    WTokenUnits,
    WAmountEditable,
    WWalletOnly,
    WMissingDetails,
    WNonStandard,
}

#[allow(clippy::too_many_lines)]
fn table(m: Msg) -> [&'static str; 4] {
    use Msg::*;
    match m {
        ScanToPay => ["Scan to pay", "Scanner pour payer", "扫码支付", "掃碼付款"],
        DialogTitle => ["Scan a payment code", "Scanner un code de paiement", "扫描付款码", "掃描付款碼"],
        Close => ["Close", "Fermer", "关闭", "關閉"],
        PointCamera => [
            "Point the camera at the QR code",
            "Placez le code QR dans le cadre",
            "将二维码放入框内",
            "將 QR 碼放入框內",
        ],
        HintMoveCloser => [
            "Move closer: the code is too small to read",
            "Approchez-vous : le code est trop petit pour être lu",
            "请靠近一些：二维码太小，无法识别",
            "請靠近一些：QR 碼太小，無法辨識",
        ],
        HintHoldStill => [
            "Hold still so the camera can focus",
            "Ne bougez plus, le temps que la caméra fasse la mise au point",
            "请保持手机稳定，等待摄像头对焦",
            "請保持手機穩定，等待相機對焦",
        ],
        HintMoreLight => [
            "Too dark: find more light",
            "Trop sombre : cherchez plus de lumière",
            "光线太暗：请到更亮的地方",
            "光線太暗：請到更亮的地方",
        ],
        HintMoreLightTorch => [
            "Too dark: turn the light on",
            "Trop sombre : allumez la lampe",
            "光线太暗：请打开手电筒",
            "光線太暗：請開啟手電筒",
        ],
        HintCheckUnavailable => [
            "This code needs a safety check that could not be downloaded: check your connection",
            "Ce code demande une vérification de sécurité qui n'a pas pu être téléchargée : vérifiez votre connexion",
            "此码需要下载安全检查，但下载失败：请检查网络连接",
            "此碼需要下載安全檢查，但下載失敗：請檢查網路連線",
        ],
        StartingCamera => ["Starting the camera…", "Démarrage de la caméra…", "正在启动摄像头…", "正在啟動相機…"],
        TorchOn => ["Turn the light on", "Allumer la lampe", "打开手电筒", "開啟手電筒"],
        TorchOff => ["Turn the light off", "Éteindre la lampe", "关闭手电筒", "關閉手電筒"],
        SwitchCamera => ["Switch camera", "Changer de caméra", "切换摄像头", "切換相機"],
        Zoom => ["Zoom", "Zoom", "缩放", "縮放"],
        FromGallery => ["Scan a picture", "Scanner une photo", "从相册选择", "從相簿選擇"],
        PasteImage => ["Paste an image", "Coller une image", "粘贴图片", "貼上圖片"],
        OtherWays => ["Or use a picture of the code:", "Ou utilisez une photo du code :", "或者使用二维码图片：", "或者使用 QR 碼圖片："],
        ErrDeniedTitle => ["Camera access denied", "Accès à la caméra refusé", "摄像头权限被拒绝", "相機權限遭拒"],
        ErrDenied => [
            "Allow the camera for this site in your browser settings, then try again. Or scan a picture of the code.",
            "Autorisez la caméra pour ce site dans les réglages du navigateur, puis réessayez. Ou scannez une photo du code.",
            "请在浏览器设置中允许此网站使用摄像头，然后重试。也可以扫描二维码图片。",
            "請在瀏覽器設定中允許此網站使用相機，然後重試。也可以掃描 QR 碼圖片。",
        ],
        ErrNoCameraTitle => ["No camera found", "Aucune caméra trouvée", "未找到摄像头", "找不到相機"],
        ErrNoCamera => [
            "This device has no camera we can use. Scan a picture of the code instead.",
            "Cet appareil n'a pas de caméra utilisable. Scannez plutôt une photo du code.",
            "此设备没有可用的摄像头。请改为扫描二维码图片。",
            "此裝置沒有可用的相機。請改為掃描 QR 碼圖片。",
        ],
        ErrInUseTitle => ["Camera in use", "Caméra déjà utilisée", "摄像头被占用", "相機被佔用"],
        ErrInUse => [
            "Another app or tab is using the camera. Close it and try again, or scan a picture of the code.",
            "Une autre application ou un autre onglet utilise la caméra. Fermez-le et réessayez, ou scannez une photo du code.",
            "其他应用或标签页正在使用摄像头。请关闭后重试，或扫描二维码图片。",
            "其他應用程式或分頁正在使用相機。請關閉後重試，或掃描 QR 碼圖片。",
        ],
        ErrInsecureTitle => ["Camera needs a secure page", "La caméra exige une page sécurisée", "摄像头需要安全连接", "相機需要安全連線"],
        ErrInsecure => [
            "Browsers only allow the camera on pages served over HTTPS. Scan a picture of the code instead.",
            "Les navigateurs n'autorisent la caméra que sur les pages servies en HTTPS. Scannez plutôt une photo du code.",
            "浏览器只允许 HTTPS 页面使用摄像头。请改为扫描二维码图片。",
            "瀏覽器只允許 HTTPS 網頁使用相機。請改為掃描 QR 碼圖片。",
        ],
        ErrCameraOtherTitle => ["Camera unavailable", "Caméra indisponible", "摄像头不可用", "相機無法使用"],
        ErrCameraOther => [
            "The camera could not be started. Try again, or scan a picture of the code.",
            "La caméra n'a pas pu démarrer. Réessayez, ou scannez une photo du code.",
            "无法启动摄像头。请重试，或扫描二维码图片。",
            "無法啟動相機。請重試，或掃描 QR 碼圖片。",
        ],
        TryCameraAgain => ["Try the camera again", "Réessayer la caméra", "重试摄像头", "重試相機"],
        ReadingImage => ["Reading the picture…", "Lecture de l'image…", "正在识别图片…", "正在辨識圖片…"],
        NoCodeInImage => [
            "No QR code was found in this picture. Try a sharper picture, closer to the code.",
            "Aucun code QR trouvé sur cette image. Essayez une photo plus nette, plus près du code.",
            "图片中未找到二维码。请换一张更清晰、离二维码更近的图片。",
            "圖片中找不到 QR 碼。請換一張更清晰、離 QR 碼更近的圖片。",
        ],
        NoImageInClipboard => [
            "There is no image in the clipboard. Copy a picture of the code first.",
            "Le presse-papiers ne contient pas d'image. Copiez d'abord une photo du code.",
            "剪贴板中没有图片。请先复制二维码图片。",
            "剪貼簿中沒有圖片。請先複製 QR 碼圖片。",
        ],
        ClipboardUnavailable => [
            "This browser does not let us read the clipboard. Press Ctrl+V / ⌘V here, or choose a picture.",
            "Ce navigateur ne permet pas de lire le presse-papiers. Appuyez sur Ctrl+V / ⌘V ici, ou choisissez une photo.",
            "此浏览器不允许读取剪贴板。请在此按 Ctrl+V / ⌘V，或选择图片。",
            "此瀏覽器不允許讀取剪貼簿。請在此按 Ctrl+V / ⌘V，或選擇圖片。",
        ],
        ImageUnreadable => [
            "This file could not be opened as a picture.",
            "Ce fichier n'a pas pu être ouvert comme image.",
            "无法打开此图片文件。",
            "無法開啟此圖片檔案。",
        ],
        NotPaymentTitle => ["This is not a payment code", "Ce n'est pas un code de paiement", "这不是付款码", "這不是付款碼"],
        NotPaymentBody => ["The code contains:", "Le code contient :", "二维码内容：", "QR 碼內容："],
        NotPaymentLink => [
            "It is a link. For your safety it is not opened.",
            "C'est un lien. Par sécurité, il n'est pas ouvert.",
            "这是一个链接。为了您的安全，不会自动打开。",
            "這是一個連結。為了您的安全，不會自動開啟。",
        ],
        Copy => ["Copy", "Copier", "复制", "複製"],
        Copied => ["Copied", "Copié", "已复制", "已複製"],
        ScanAgain => ["Scan again", "Scanner à nouveau", "重新扫描", "重新掃描"],
        InvalidTitle => ["This payment code is not valid", "Ce code de paiement n'est pas valide", "付款码无效", "付款碼無效"],
        InvalidBody => [
            "Nothing was paid. Ask the merchant for another code.",
            "Rien n'a été payé. Demandez un autre code au commerçant.",
            "未进行任何付款。请向商家索取新的付款码。",
            "未進行任何付款。請向商家索取新的付款碼。",
        ],
        InvalidWhere => ["Problem: {message} (position {position})", "Problème : {message} (position {position})", "问题：{message}（位置 {position}）", "問題：{message}（位置 {position}）"],
        InvalidDamaged => [
            "The code is damaged or has been altered: its checksum does not match.",
            "Le code est abîmé ou a été modifié : sa somme de contrôle ne correspond pas.",
            "付款码已损坏或被篡改：校验值不匹配。",
            "付款碼已損壞或遭竄改：檢查碼不符。",
        ],
        InvalidIncomplete => [
            "The code is incomplete or damaged.",
            "Le code est incomplet ou abîmé.",
            "付款码不完整或已损坏。",
            "付款碼不完整或已損壞。",
        ],
        InvalidCurrency => [
            "The code names a currency that does not exist.",
            "Le code indique une devise qui n'existe pas.",
            "付款码中的币种不存在。",
            "付款碼中的幣別不存在。",
        ],
        InvalidExpired => [
            "This code has expired. Ask for a new one.",
            "Ce code a expiré. Demandez-en un nouveau.",
            "此付款码已过期，请索取新的付款码。",
            "此付款碼已過期，請索取新的付款碼。",
        ],
        InvalidRules => [
            "The code breaks the rules of its payment format.",
            "Le code ne respecte pas les règles de son format de paiement.",
            "付款码不符合其支付格式的规范。",
            "付款碼不符合其付款格式的規範。",
        ],
        InvalidNoPayee => [
            "The code does not say who is paid.",
            "Le code n'indique pas qui est payé.",
            "付款码没有注明收款方。",
            "付款碼沒有註明收款方。",
        ],
        InvalidAccount => [
            "The account or address in the code is not valid.",
            "Le compte ou l'adresse du code n'est pas valide.",
            "付款码中的账户或地址无效。",
            "付款碼中的帳戶或地址無效。",
        ],
        InvalidConflict => [
            "The code asks for two different payments: it is not safe to pay.",
            "Le code demande deux paiements différents : il n'est pas sûr de le payer.",
            "付款码包含两笔不一致的付款，付款不安全。",
            "付款碼包含兩筆不一致的付款，付款不安全。",
        ],
        InvalidUnsupported => [
            "This kind of payment code is not supported.",
            "Ce type de code de paiement n'est pas pris en charge.",
            "不支持此类付款码。",
            "不支援此類付款碼。",
        ],
        TechnicalDetails => ["Technical details", "Détails techniques", "技术详情", "技術詳情"],
        ConfirmTitle => ["Confirm payment", "Confirmer le paiement", "确认付款", "確認付款"],
        PayTo => ["Pay to", "Payer à", "收款方", "收款方"],
        Amount => ["Amount", "Montant", "金额", "金額"],
        AmountFixed => ["Amount set by the merchant", "Montant fixé par le commerçant", "金额由商家设定", "金額由商家設定"],
        AmountEnter => ["Enter the amount", "Saisissez le montant", "请输入金额", "請輸入金額"],
        TipOptional => ["Tip (optional)", "Pourboire (facultatif)", "小费（可选）", "小費（選填）"],
        FeeFixed => ["Convenience fee", "Frais de service", "服务费", "服務費"],
        FeePercent => ["Convenience fee ({percent}%)", "Frais de service ({percent} %)", "服务费（{percent}%）", "服務費（{percent}%）"],
        TipAsked => ["The merchant invites a tip", "Le commerçant propose un pourboire", "商家邀请您支付小费", "商家邀請您支付小費"],
        Total => ["Total", "Total", "合计", "合計"],
        AcceptedBy => ["Accepted by", "Accepté par", "支持", "支援"],
        PayWith => ["Pay with", "Payer avec", "支付方式", "付款方式"],
        WalletUnavailable => ["Not available on this page", "Indisponible sur cette page", "在此页面不可用", "在此頁面無法使用"],
        NoWallet => [
            "No wallet on this page can pay this code. Open this page in a wallet app that accepts it.",
            "Aucun portefeuille de cette page ne peut payer ce code. Ouvrez cette page dans une application qui l'accepte.",
            "此页面没有可以支付此付款码的钱包。请在支持的钱包应用中打开此页面。",
            "此頁面沒有可以支付此付款碼的錢包。請在支援的錢包應用程式中開啟此頁面。",
        ],
        PayButton => ["Pay {amount} to {name}", "Payer {amount} à {name}", "向 {name} 支付 {amount}", "向 {name} 付款 {amount}"],
        PayButtonNoName => ["Pay {amount}", "Payer {amount}", "支付 {amount}", "付款 {amount}"],
        AmountErrEmpty => ["Enter an amount.", "Saisissez un montant.", "请输入金额。", "請輸入金額。"],
        AmountErrInvalid => [
            "Enter a number, like 12.50.",
            "Saisissez un nombre, par exemple 12,50.",
            "请输入数字，例如 12.50。",
            "請輸入數字，例如 12.50。",
        ],
        AmountErrDecimals => [
            "Use at most {n} decimal places.",
            "Utilisez au plus {n} décimales.",
            "最多 {n} 位小数。",
            "最多 {n} 位小數。",
        ],
        AmountErrWhole => ["Enter a whole amount (no decimals).", "Saisissez un montant entier (sans décimales).", "请输入整数金额（无小数）。", "請輸入整數金額（無小數）。"],
        AmountErrZero => ["The amount must be more than zero.", "Le montant doit être supérieur à zéro.", "金额必须大于零。", "金額必須大於零。"],
        AmountErrTooLarge => ["This amount is too large.", "Ce montant est trop élevé.", "金额过大。", "金額過大。"],
        NoCurrency => [
            "This code does not say which currency to pay in, so it cannot be paid here.",
            "Ce code n'indique pas la devise, il ne peut donc pas être payé ici.",
            "此付款码未注明币种，无法在此支付。",
            "此付款碼未註明幣別，無法在此付款。",
        ],
        BadCodeAmount => [
            "The amount in this code is not valid. Ask the merchant for another code.",
            "Le montant de ce code n'est pas valide. Demandez un autre code au commerçant.",
            "此付款码中的金额无效。请向商家索取新的付款码。",
            "此付款碼中的金額無效。請向商家索取新的付款碼。",
        ],
        CreatingOrder => ["Creating the order…", "Création de la commande…", "正在创建订单…", "正在建立訂單…"],
        WaitingWallet => ["Confirm in your wallet…", "Confirmez dans votre portefeuille…", "请在钱包中确认…", "請在錢包中確認…"],
        ConfirmingMerchant => ["Checking with the merchant…", "Vérification auprès du commerçant…", "正在向商家确认…", "正在向商家確認…"],
        SuccessTitle => ["Payment complete", "Paiement effectué", "支付成功", "付款成功"],
        SuccessBody => ["{amount} paid to {name}", "{amount} payés à {name}", "已向 {name} 支付 {amount}", "已向 {name} 付款 {amount}"],
        CancelledTitle => ["Payment cancelled", "Paiement annulé", "支付已取消", "付款已取消"],
        CancelledBody => ["You have not been charged.", "Vous n'avez pas été débité.", "您没有被扣款。", "您沒有被扣款。"],
        FailedTitle => ["Payment failed", "Échec du paiement", "支付失败", "付款失敗"],
        PendingTitle => ["Payment not confirmed yet", "Paiement pas encore confirmé", "支付尚未确认", "付款尚未確認"],
        PendingBody => [
            "Your wallet finished, but the merchant has not confirmed the payment yet. Check again before paying a second time.",
            "Votre portefeuille a terminé, mais le commerçant n'a pas encore confirmé le paiement. Vérifiez avant de payer une seconde fois.",
            "钱包已完成操作，但商家尚未确认收款。请先再次查询，不要重复付款。",
            "錢包已完成操作，但商家尚未確認收款。請先再次查詢，不要重複付款。",
        ],
        CheckAgain => ["Check again", "Vérifier à nouveau", "再次查询", "再次查詢"],
        Retry => ["Try again", "Réessayer", "重试", "重試"],
        Done => ["Done", "Terminé", "完成", "完成"],
        OrderFailed => [
            "The merchant could not create the order ({message}). You have not been charged.",
            "Le commerçant n'a pas pu créer la commande ({message}). Vous n'avez pas été débité.",
            "商家无法创建订单（{message}）。您没有被扣款。",
            "商家無法建立訂單（{message}）。您沒有被扣款。",
        ],
        OrderUnreadable => [
            "The merchant's answer could not be read. You have not been charged.",
            "La réponse du commerçant est illisible. Vous n'avez pas été débité.",
            "无法读取商家的答复。您没有被扣款。",
            "無法讀取商家的回覆。您沒有被扣款。",
        ],
        NetworkError => [
            "Network problem: the merchant could not be reached. Check your connection and try again.",
            "Problème de réseau : le commerçant est injoignable. Vérifiez votre connexion et réessayez.",
            "网络问题：无法连接商家。请检查网络后重试。",
            "網路問題：無法連線商家。請檢查網路後重試。",
        ],
        WalletFailed => ["The wallet could not pay: {message}", "Le portefeuille n'a pas pu payer : {message}", "钱包支付失败：{message}", "錢包付款失敗：{message}"],
        MerchantFailed => [
            "The merchant reports that the payment did not go through.",
            "Le commerçant indique que le paiement n'a pas abouti.",
            "商家表示付款未成功。",
            "商家表示付款未成功。",
        ],
        Warning => ["Check before paying", "À vérifier avant de payer", "付款前请核对", "付款前請核對"],
        Reference => ["Reference", "Référence", "参考号", "參考編號"],
        CodeScanned => ["Code scanned", "Code scanné", "已扫描", "已掃描"],
        PayeeConfirmed => [
            "Confirmed by the merchant's server",
            "Confirmé par le serveur du commerçant",
            "收款方已由商家服务器确认",
            "收款方已由商家伺服器確認",
        ],
        PayeeUnverified => [
            "Named by the merchant's server, not verified: check it",
            "Nom fourni par le serveur du commerçant, non vérifié : contrôlez-le",
            "收款方名称由商家服务器提供，未经核实，请核对",
            "收款方名稱由商家伺服器提供，未經核實，請核對",
        ],
        UnknownPayee => ["Unnamed merchant", "Commerçant sans nom", "未具名商家", "未具名商家"],
        OrderNumber => ["Order {id}", "Commande {id}", "订单 {id}", "訂單 {id}"],
        PaidAt => ["Paid on {date}", "Payé le {date}", "支付时间：{date}", "付款時間：{date}"],
        NoOrderUrl => [
            "This checkout is not set up (no order-url). Payment is not possible.",
            "Ce paiement n'est pas configuré (pas d'order-url). Impossible de payer.",
            "此收银台未配置（缺少 order-url），无法付款。",
            "此收銀台未設定（缺少 order-url），無法付款。",
        ],
        WalletSandbox => ["Sandbox wallet", "Portefeuille de test", "沙盒钱包", "沙盒錢包"],
        WalletWechatJsapi => ["WeChat Pay", "WeChat Pay", "微信支付", "微信支付"],
        WalletWechatMiniProgram => ["WeChat Pay (mini program)", "WeChat Pay (mini-programme)", "微信支付（小程序）", "微信支付（小程式）"],
        WalletAlipayApp => ["Alipay", "Alipay", "支付宝", "支付寶"],
        WalletAlipayMiniProgram => ["Alipay (mini program)", "Alipay (mini-programme)", "支付宝（小程序）", "支付寶（小程式）"],
        WalletUnionpay => ["UnionPay", "UnionPay", "银联云闪付", "銀聯雲閃付"],
        WalletPaymentRequest => ["Pay in the browser", "Payer dans le navigateur", "浏览器支付", "瀏覽器付款"],
        WalletDeepLink => ["Open the wallet app", "Ouvrir l'application", "打开钱包应用", "開啟錢包應用程式"],
        ROpenInWechat => ["Open this page in WeChat to use it", "Ouvrez cette page dans WeChat pour l'utiliser", "请在微信中打开此页面", "請在微信中開啟此頁面"],
        ROpenInWechatMiniProgram => ["Open the merchant's WeChat mini program", "Ouvrez le mini-programme WeChat du commerçant", "请打开商家的微信小程序", "請開啟商家的微信小程式"],
        RUseMiniProgramPayment => ["Use the mini program payment option", "Utilisez l'option de paiement du mini-programme", "请使用小程序支付", "請使用小程式付款"],
        RWechatJssdkMissing => ["This page did not load the WeChat SDK", "Cette page n'a pas chargé le SDK WeChat", "此页面未加载微信 JS-SDK", "此頁面未載入微信 JS-SDK"],
        ROpenInAlipay => ["Open this page in Alipay to use it", "Ouvrez cette page dans Alipay pour l'utiliser", "请在支付宝中打开此页面", "請在支付寶中開啟此頁面"],
        ROpenInAlipayMiniProgram => ["Open the merchant's Alipay mini program", "Ouvrez le mini-programme Alipay du commerçant", "请打开商家的支付宝小程序", "請開啟商家的支付寶小程式"],
        RAlipayJssdkMissing => ["This page did not load the Alipay SDK", "Cette page n'a pas chargé le SDK Alipay", "此页面未加载支付宝 JS-SDK", "此頁面未載入支付寶 JS-SDK"],
        ROpenInUnionpayApp => ["Open this page in the UnionPay app", "Ouvrez cette page dans l'application UnionPay", "请在云闪付中打开此页面", "請在雲閃付中開啟此頁面"],
        RUnionpaySdkMissing => ["This page did not load the UnionPay SDK", "Cette page n'a pas chargé le SDK UnionPay", "此页面未加载云闪付 SDK", "此頁面未載入雲閃付 SDK"],
        RNoPaymentHandler => ["This browser cannot pay by itself", "Ce navigateur ne peut pas payer lui-même", "此浏览器不支持直接支付", "此瀏覽器不支援直接付款"],
        ROpenInMobileBrowser => ["Open this page in your phone's browser", "Ouvrez cette page dans le navigateur du téléphone", "请在手机浏览器中打开此页面", "請在手機瀏覽器中開啟此頁面"],
        ROpenOnPhone => ["Needs a phone with the app", "Nécessite un téléphone avec l'application", "需要安装了该应用的手机", "需要安裝了該應用程式的手機"],
        RNotSupportedForScheme => ["Does not accept this code", "N'accepte pas ce code", "不支持此付款码", "不支援此付款碼"],
        RSandboxNotLoaded => ["The sandbox wallet is not on this page", "Le portefeuille de test n'est pas sur cette page", "此页面未加载沙盒钱包", "此頁面未載入沙盒錢包"],
        OtherWallets => ["{n} other wallets cannot pay this code", "{n} autres portefeuilles ne peuvent pas payer ce code", "另有 {n} 个钱包无法支付此付款码", "另有 {n} 個錢包無法支付此付款碼"],
        WLookalike => [
            "This code contains a link that imitates a payment provider. It may be a scam: do not pay unless you trust the merchant.",
            "Ce code contient un lien qui imite un prestataire de paiement. Possible arnaque : ne payez que si vous avez confiance.",
            "此付款码包含仿冒支付机构的链接，可能是诈骗：除非确认商家可信，否则请勿付款。",
            "此付款碼包含仿冒支付機構的連結，可能是詐騙：除非確認商家可信，否則請勿付款。",
        ],
        WInsecureUrl => [
            "This code contains an unencrypted (http://) link.",
            "Ce code contient un lien non chiffré (http://).",
            "此付款码包含未加密的 (http://) 链接。",
            "此付款碼包含未加密的 (http://) 連結。",
        ],
        WExpired => ["This code has expired.", "Ce code a expiré.", "此付款码已过期。", "此付款碼已過期。"],
        WCountryCurrency => [
            "The currency is not the one used in the merchant's country. Check the amount and currency.",
            "La devise n'est pas celle du pays du commerçant. Vérifiez le montant et la devise.",
            "币种与商家所在国家不符，请核对金额和币种。",
            "幣別與商家所在國家不符，請核對金額和幣別。",
        ],
        WCountryScheme => [
            "The payment scheme does not match the merchant's country.",
            "Le réseau de paiement ne correspond pas au pays du commerçant.",
            "支付网络与商家所在国家不符。",
            "支付網路與商家所在國家不符。",
        ],
        WAmountZero => [
            "The code asks for an amount of zero. Check with the merchant.",
            "Le code indique un montant nul. Vérifiez auprès du commerçant.",
            "付款码金额为零，请向商家确认。",
            "付款碼金額為零，請向商家確認。",
        ],
        WContractCall => [
            "This code calls a smart contract: check in your wallet what it does before approving.",
            "Ce code appelle un contrat intelligent : vérifiez dans votre portefeuille ce qu'il fait avant d'accepter.",
            "此付款码会调用智能合约：批准前请在钱包中确认其作用。",
            "此付款碼會呼叫智慧合約：核准前請在錢包中確認其作用。",
        ],
        WTokenUnits => [
            "The token amount is in base units; your wallet shows the real amount.",
            "Le montant du jeton est en unités de base ; votre portefeuille affiche le montant réel.",
            "代币金额以最小单位表示，钱包会显示实际金额。",
            "代幣金額以最小單位表示，錢包會顯示實際金額。",
        ],
        WAmountEditable => [
            "You may change the amount in your wallet.",
            "Vous pouvez modifier le montant dans votre portefeuille.",
            "您可以在钱包中修改金额。",
            "您可以在錢包中修改金額。",
        ],
        WWalletOnly => [
            "Only the wallet's own app can pay this code.",
            "Seule l'application du portefeuille peut payer ce code.",
            "只有该钱包自己的应用可以支付此付款码。",
            "只有該錢包自己的應用程式可以支付此付款碼。",
        ],
        WMissingDetails => [
            "The code leaves out some details about the merchant: check whom you pay.",
            "Le code omet des informations sur le commerçant : vérifiez qui vous payez.",
            "付款码缺少部分商家信息，请确认收款方。",
            "付款碼缺少部分商家資訊，請確認收款方。",
        ],
        WNonStandard => [
            "The code does not follow its format exactly: check the payee and the amount before you pay.",
            "Le code ne respecte pas exactement son format : vérifiez le bénéficiaire et le montant avant de payer.",
            "付款码不完全符合其格式：付款前请核对收款方和金额。",
            "付款碼不完全符合其格式：付款前請核對收款方和金額。",
        ],
    }
}

/// The picker's sentence for a [`crate::wallet::Reason`].
pub fn reason_msg(r: crate::wallet::Reason) -> Msg {
    use crate::wallet::Reason as R;
    match r {
        R::OpenInWechat => Msg::ROpenInWechat,
        R::OpenInWechatMiniProgram => Msg::ROpenInWechatMiniProgram,
        R::UseMiniProgramPayment => Msg::RUseMiniProgramPayment,
        R::WechatJssdkMissing => Msg::RWechatJssdkMissing,
        R::OpenInAlipay => Msg::ROpenInAlipay,
        R::OpenInAlipayMiniProgram => Msg::ROpenInAlipayMiniProgram,
        R::AlipayJssdkMissing => Msg::RAlipayJssdkMissing,
        R::OpenInUnionpayApp => Msg::ROpenInUnionpayApp,
        R::UnionpaySdkMissing => Msg::RUnionpaySdkMissing,
        R::NoPaymentHandler => Msg::RNoPaymentHandler,
        R::OpenInMobileBrowser => Msg::ROpenInMobileBrowser,
        R::OpenOnPhone => Msg::ROpenOnPhone,
        R::NotSupportedForScheme => Msg::RNotSupportedForScheme,
        R::SandboxNotLoaded => Msg::RSandboxNotLoaded,
    }
}

/// The wallet's display name.
pub fn wallet_msg(w: crate::wallet::WalletId) -> Msg {
    use crate::wallet::WalletId as W;
    match w {
        W::Sandbox => Msg::WalletSandbox,
        W::WechatJsapi => Msg::WalletWechatJsapi,
        W::WechatMiniProgram => Msg::WalletWechatMiniProgram,
        W::AlipayApp => Msg::WalletAlipayApp,
        W::AlipayMiniProgram => Msg::WalletAlipayMiniProgram,
        W::Unionpay => Msg::WalletUnionpay,
        W::PaymentRequest => Msg::WalletPaymentRequest,
        W::DeepLink => Msg::WalletDeepLink,
    }
}

/// Title and advice for a camera failure.
pub fn camera_error_msgs(e: crate::checkout::CameraError) -> (Msg, Msg) {
    use crate::checkout::CameraError as E;
    match e {
        E::Denied => (Msg::ErrDeniedTitle, Msg::ErrDenied),
        E::NoCamera => (Msg::ErrNoCameraTitle, Msg::ErrNoCamera),
        E::InUse => (Msg::ErrInUseTitle, Msg::ErrInUse),
        E::Insecure => (Msg::ErrInsecureTitle, Msg::ErrInsecure),
        E::Other => (Msg::ErrCameraOtherTitle, Msg::ErrCameraOther),
    }
}

/// Why a typed amount is refused, in `loc`.
pub fn amount_error_text(loc: Locale, e: crate::checkout::AmountError) -> String {
    use crate::checkout::AmountError as E;
    match e {
        E::Empty => loc.t(Msg::AmountErrEmpty).into(),
        E::NotANumber => loc.t(Msg::AmountErrInvalid).into(),
        E::TooManyDecimals { max: 0 } => loc.t(Msg::AmountErrWhole).into(),
        E::TooManyDecimals { max } => loc.fmt(Msg::AmountErrDecimals, &[("n", &max.to_string())]),
        E::Zero => loc.t(Msg::AmountErrZero).into(),
        E::TooLarge => loc.t(Msg::AmountErrTooLarge).into(),
    }
}

/// The result screen's sentence for a [`crate::checkout::Notice`] (empty for a payment that went through:
/// the success screen says it with the amount).
pub fn notice_text(loc: Locale, n: &crate::checkout::Notice) -> String {
    use crate::checkout::Notice as N;
    match n {
        N::Paid => String::new(),
        N::Cancelled => loc.t(Msg::CancelledBody).into(),
        N::Pending => loc.t(Msg::PendingBody).into(),
        N::Network => loc.t(Msg::NetworkError).into(),
        N::OrderUnreadable => loc.t(Msg::OrderUnreadable).into(),
        N::OrderRefused { detail } => loc.fmt(Msg::OrderFailed, &[("message", detail)]),
        N::MerchantFailed { wallet_detail: None } => loc.t(Msg::MerchantFailed).into(),
        N::MerchantFailed { wallet_detail: Some(d) } => format!("{} ({d})", loc.t(Msg::MerchantFailed)),
        N::WalletFailed { detail } => loc.fmt(Msg::WalletFailed, &[("message", detail)]),
    }
}

/// What the live region says when `event` moved the checkout into `phase` (`None`: nothing new to say).
pub fn announcement(loc: Locale, event: &crate::checkout::Event, phase: &crate::checkout::Phase) -> Option<String> {
    use crate::checkout::{result_screen, Event as E, Phase as P};
    let sep = if loc.is_cjk() { "。" } else { ". " };
    let scanned = |then: String| format!("{}{sep}{then}", loc.t(Msg::CodeScanned));
    Some(match (event, phase) {
        (E::CameraFailed(e), P::CameraFailed(_)) => crate::checkout::events::camera_error_sentence(*e, loc),
        (_, P::ReadingPicture { .. }) => loc.t(Msg::ReadingImage).into(),
        (E::Scanned { .. }, P::Confirming(c)) => {
            let name = c.payee_name().unwrap_or_else(|| loc.t(Msg::UnknownPayee).into());
            scanned(format!("{} {name}", loc.t(Msg::PayTo)))
        }
        (E::Scanned { .. }, P::NotPayment(_)) => scanned(loc.t(Msg::NotPaymentTitle).into()),
        (E::Scanned { .. }, P::Invalid { .. }) => scanned(loc.t(Msg::InvalidTitle).into()),
        (_, P::CreatingOrder(_)) => loc.t(Msg::CreatingOrder).into(),
        (_, P::WaitingWallet { .. }) => loc.t(Msg::WaitingWallet).into(),
        (_, P::Finished { outcome, notice, .. }) => {
            format!("{}{sep}{}", loc.t(result_title(result_screen(outcome))), notice_text(loc, notice)).trim_end().to_string()
        }
        _ => return None,
    })
}

/// The title of a result screen.
pub fn result_title(r: crate::checkout::ResultScreen) -> Msg {
    use crate::checkout::ResultScreen as R;
    match r {
        R::Success => Msg::SuccessTitle,
        R::Cancelled => Msg::CancelledTitle,
        R::Failed => Msg::FailedTitle,
        R::Pending => Msg::PendingTitle,
    }
}

/// The plain-language headline for a [`crate::payload::ParseError`] code.
pub fn invalid_msg(code: crate::payload::ErrorCode) -> Msg {
    use crate::payload::ErrorCode as E;
    match code {
        E::BadCrc | E::MissingCrc | E::BadCrcLength | E::BadSignature | E::MissingSignature | E::BadTrailer | E::BadChecksum => {
            Msg::InvalidDamaged
        }
        E::Truncated | E::TooShort | E::TooLong | E::BadLength | E::EmptyValue => Msg::InvalidIncomplete,
        E::NonNumericAmount | E::BadAmount | E::NegativeAmount | E::MissingAmount | E::BadPercentage | E::BadTipIndicator => {
            Msg::BadCodeAmount
        }
        E::UnknownCurrency => Msg::InvalidCurrency,
        E::Expired | E::MissingExpiration | E::BadTimestamp => Msg::InvalidExpired,
        E::MissingMerchantAccount => Msg::InvalidNoPayee,
        E::BadAddress | E::MixedCase | E::BadIban | E::BadReference => Msg::InvalidAccount,
        E::PaymentConflict => Msg::InvalidConflict,
        // Never shown as a verdict: the decoder worker reads such a text again with the full reader.
        E::DeepCheckNeeded => Msg::InvalidUnsupported,
        E::Unsupported | E::UnsupportedVersion | E::UnknownFeature | E::UnknownNetwork | E::WrongFormat => Msg::InvalidUnsupported,
        E::BadHeader
        | E::BadTag
        | E::DuplicateTag
        | E::BadOrder
        | E::BadFormatIndicator
        | E::BadPointOfInitiation
        | E::BadMcc
        | E::MissingTag
        | E::BadCountry
        | E::BadLanguage
        | E::BadSchemeField
        | E::BadCharset
        | E::BadCharacter
        | E::BadFormat => Msg::InvalidRules,
    }
}

/// The shopper's sentence for a [`crate::payload::Warning`] code.
pub fn warning_msg(code: crate::payload::WarningCode) -> Msg {
    use crate::payload::WarningCode as W;
    match code {
        W::LookalikeDomain => Msg::WLookalike,
        W::InsecureUrl => Msg::WInsecureUrl,
        W::Expired => Msg::WExpired,
        W::CountryCurrencyMismatch => Msg::WCountryCurrency,
        W::CountrySchemeMismatch => Msg::WCountryScheme,
        W::AmountZero | W::AmountZeroDynamic | W::DynamicWithoutAmount => Msg::WAmountZero,
        W::ContractCall => Msg::WContractCall,
        W::TokenUnits => Msg::WTokenUnits,
        W::AmountEditable => Msg::WAmountEditable,
        W::WalletOnly => Msg::WWalletOnly,
        W::MissingMandatoryTag | W::MissingMerchantAccount | W::UnknownCountry => Msg::WMissingDetails,
        W::MissingGuid
        | W::FormatIndicator
        | W::LengthCountsBytes
        | W::CrcLowercase
        | W::AmountPrecision
        | W::TooLong
        | W::BadConsumerDataRequest
        | W::BadSchemeField
        | W::ControlCharacters
        | W::OrphanFee
        | W::NonCompliant
        | W::UnknownPrefix
        | W::UnknownParameter
        | W::BadReference
        | W::BadTimestamp => Msg::WNonStandard,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(s: &str) -> BTreeSet<String> {
        s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(k, _)| k.to_string())).collect()
    }

    #[test]
    fn every_message_has_every_language_with_the_same_placeholders() {
        for &m in Msg::ALL {
            let en = placeholders(Locale::En.t(m));
            for loc in Locale::ALL {
                let text = loc.t(m);
                assert!(!text.trim().is_empty(), "{m:?} is empty in {loc:?}");
                assert_eq!(placeholders(text), en, "{m:?} in {loc:?} has other placeholders than English");
            }
        }
    }

    #[test]
    fn chinese_and_french_are_translated() {
        // Brand names and "Zoom"/"Total" may be the same word; everything else must differ from English.
        let same_ok = [Msg::Zoom, Msg::Total, Msg::WalletSandbox, Msg::WalletPaymentRequest];
        for &m in Msg::ALL {
            if same_ok.contains(&m) {
                continue;
            }
            for loc in [Locale::ZhHans, Locale::ZhHant] {
                assert_ne!(loc.t(m), Locale::En.t(m), "{m:?} is English in {loc:?}");
            }
        }
    }

    #[test]
    fn locales_negotiate_and_fill_placeholders() {
        assert_eq!(Locale::negotiate(["de-DE", "fr-CA", "en"]), Locale::Fr);
        assert_eq!(Locale::negotiate(["zh-Hant-HK"]), Locale::ZhHant);
        assert_eq!(Locale::negotiate(["zh-TW"]), Locale::ZhHant);
        assert_eq!(Locale::negotiate(["zh"]), Locale::ZhHans);
        assert_eq!(Locale::negotiate(["ja", "ko"]), Locale::En);
        assert_eq!(Locale::Fr.fmt(Msg::PayButton, &[("amount", "5 €"), ("name", "Café")]), "Payer 5 € à Café");
    }

    #[test]
    fn typed_values_have_words() {
        use crate::checkout::{AmountError, Notice};
        assert_eq!(amount_error_text(Locale::En, AmountError::TooManyDecimals { max: 2 }), "Use at most 2 decimal places.");
        assert_eq!(amount_error_text(Locale::En, AmountError::TooManyDecimals { max: 0 }), Locale::En.t(Msg::AmountErrWhole));
        let n = Notice::MerchantFailed { wallet_detail: Some("余额不足".into()) };
        assert!(notice_text(Locale::Fr, &n).ends_with("(余额不足)"));
        assert_eq!(notice_text(Locale::En, &Notice::Paid), "");
        assert!(notice_text(Locale::ZhHans, &Notice::OrderRefused { detail: "amount_mismatch".into() }).contains("amount_mismatch"));
        assert_eq!(reason_msg(crate::wallet::Reason::OpenInWechat), Msg::ROpenInWechat);
        assert_eq!(invalid_msg(crate::payload::ErrorCode::BadCrc), Msg::InvalidDamaged);
        assert_eq!(warning_msg(crate::payload::WarningCode::LookalikeDomain), Msg::WLookalike);
        // Every payload code has words (the maps are exhaustive; this runs them all).
        for c in crate::payload::ErrorCode::ALL {
            assert!(!Locale::Fr.t(invalid_msg(*c)).is_empty());
        }
        for c in crate::payload::WarningCode::ALL {
            assert!(!Locale::ZhHant.t(warning_msg(*c)).is_empty());
        }
    }

    #[test]
    fn announcements_follow_the_checkout() {
        use crate::checkout::{CameraError, Event, Phase};
        let denied = Phase::Scanning { starting: true }.next(Event::CameraFailed(CameraError::Denied)).unwrap();
        let said = announcement(Locale::ZhHans, &Event::CameraFailed(CameraError::Denied), &denied).unwrap();
        assert!(said.starts_with("摄像头权限被拒绝。"), "{said}");
        let env = crate::wallet::Environment::default();
        let scan = Event::Scanned { text: "https://example.com".into(), code: crate::payload::parse("https://example.com"), env };
        let np = Phase::Scanning { starting: false }.next(scan.clone()).unwrap();
        assert_eq!(announcement(Locale::En, &scan, &np).as_deref(), Some("Code scanned. This is not a payment code"));
        assert_eq!(announcement(Locale::En, &Event::CameraLive, &Phase::Scanning { starting: false }), None);
    }
}
