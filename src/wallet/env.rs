//! Where is the widget running? User-agent markers and JS-bridge flags → a [`Detected`] summary.
//!
//! Markers (all public, documented by the vendors or observable in their apps):
//! - WeChat in-app browser: UA contains `MicroMessenger/` (WeChat JS-SDK docs). WeCom (企业微信) also
//!   says `MicroMessenger` but adds `wxwork/`: WeChat Pay's JSAPI is not offered there, so it is not WeChat.
//! - WeChat mini-program `<web-view>`: `window.__wxjs_environment === "miniprogram"` (mini-program
//!   `web-view` docs; on iOS it is only set after `WeixinJSBridgeReady`), and on Android the UA also
//!   contains `miniProgram`.
//! - Alipay app: UA contains `AlipayClient/` (and `AliApp(AP/<version>)`). Other Alibaba apps use
//!   `AliApp(TB/…)`, `AliApp(DingTalk/…)`…: they are not Alipay and do not offer `tradePay`.
//! - Alipay mini-program `<web-view>`: UA contains `MiniProgram` in addition to the Alipay markers, and
//!   the page that loaded `https://appx/web-view.min.js` has `my.postMessage` (`my.getEnv` confirms).
//! - UnionPay Cloud QuickPass (云闪付) app: UA contains `com.unionpay` (Android) or `UnionPay/`
//!   (both platforms) — best-effort markers observed in the app, not a documented contract; the
//!   reliable signal is `window.upsdk` (the public `upsdk.js`) once the page has loaded it.
//! - Carrier wallets (China Mobile 和包, China Telecom 翼支付, China Unicom 沃钱包) and the e-CNY app:
//!   no documented UA marker or public in-page JS bridge; not detected (see docs/wallets.md).

use super::Environment;

/// Mobile operating system, from the UA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Android,
    Ios,
    Other,
}

/// What [`Environment::detect`] concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// Inside WeChat (in-app browser or mini-program web-view), not WeCom.
    pub wechat: bool,
    /// Inside a WeChat mini-program `<web-view>`.
    pub wechat_mini_program: bool,
    /// Inside the Alipay app (in-app browser or mini-program web-view).
    pub alipay: bool,
    /// Inside an Alipay mini-program `<web-view>`.
    pub alipay_mini_program: bool,
    /// Inside the UnionPay Cloud QuickPass app, or `upsdk` is on the page.
    pub unionpay: bool,
    pub os: Os,
    /// A phone or tablet.
    pub mobile: bool,
    /// A mobile browser that is not a wallet's in-app browser: deep links to wallet apps work here.
    pub plain_mobile_browser: bool,
}

impl Environment {
    /// Summarise the UA markers and bridge flags.
    pub fn detect(&self) -> Detected {
        let ua = self.user_agent.as_str();
        let wechat = ua.contains("MicroMessenger") && !ua.contains("wxwork");
        let wechat_mini_program = wechat
            && (self.wxjs_environment.as_deref() == Some("miniprogram") || ua.contains("miniProgram"));
        let alipay = ua.contains("AlipayClient") || ua.contains("AliApp(AP");
        // Case matters: WeChat's Android marker is `miniProgram`, Alipay's is `MiniProgram`.
        let alipay_mini_program = alipay && (ua.contains("MiniProgram") || self.has_my_mini_program);
        // The app's UA marker, not `window.upsdk`: any page can load upsdk.js, and it pays only inside the app.
        let unionpay = ua.contains("com.unionpay") || ua.contains("UnionPay/");
        let os = if ua.contains("Android") {
            Os::Android
        } else if ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod") {
            Os::Ios
        } else {
            Os::Other
        };
        let mobile = os != Os::Other || ua.contains("Mobile");
        let in_app = wechat || alipay || ua.contains("com.unionpay") || ua.contains("UnionPay/")
            // Other in-app browsers that block or swallow custom-scheme links.
            || ua.contains("AliApp(") || ua.contains("wxwork") || ua.contains("DingTalk")
            || ua.contains("QQ/") || ua.contains("Weibo");
        Detected {
            wechat,
            wechat_mini_program,
            alipay,
            alipay_mini_program,
            unionpay,
            os,
            mobile,
            plain_mobile_browser: mobile && !in_app,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub const WECHAT_IOS: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";
    pub const WECHAT_ANDROID_MP: &str = "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64 miniProgram/wx1234567890abcdef";
    pub const WECOM: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 wxwork/4.1.20 MicroMessenger/7.0.1 Language/zh";
    pub const ALIPAY_ANDROID: &str = "Mozilla/5.0 (Linux; U; Android 13; zh-CN; V2218A Build/TP1A.220624.014) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/69.0.3497.100 UWS/3.22.2.59 Mobile Safari/537.36 UCBS/3.22.2.59_230817211404 ChannelId(1) NebulaSDK/1.8.100112 Nebula AlipayDefined(nt:WIFI,ws:393|0|2.75) AliApp(AP/10.5.36.8000) AlipayClient/10.5.36.8000 Language/zh-Hans useStatusBar/true isConcaveScreen/true Region/CNAriver/1.0.0";
    pub const ALIPAY_MP: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Ariver/1.1.0 AliApp(AP/10.5.36.6000) Nebula WK RVKType(0) AlipayDefined(nt:WIFI,ws:390|780|3.0) AlipayClient/10.5.36.6000 Language/zh-Hans Region/CN NebulaX/1.0.0 MiniProgram APXWebView";
    pub const TAOBAO: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 AliApp(TB/10.33.0) WindVane/8.7.2";
    pub const CHROME_ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
    pub const SAFARI_IOS: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    pub const DESKTOP: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    pub const UNIONPAY_ANDROID: &str = "Mozilla/5.0 (Linux; Android 13; M2012K11AC) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/99.0.4844.88 Mobile Safari/537.36 (com.unionpay.chsp) (cordova 7.0.0) (updebug 0) (version 1003) (UnionPay/1.0 CloudPay)";

    fn env(ua: &str) -> Environment {
        Environment { user_agent: ua.into(), ..Default::default() }
    }

    #[test]
    fn wechat_browser_vs_mini_program() {
        let d = env(WECHAT_IOS).detect();
        assert!(d.wechat && !d.wechat_mini_program && !d.alipay && d.mobile && !d.plain_mobile_browser);
        assert_eq!(d.os, Os::Ios);
        // iOS mini-program: no UA marker, only __wxjs_environment.
        let mut e = env(WECHAT_IOS);
        e.wxjs_environment = Some("miniprogram".into());
        assert!(e.detect().wechat_mini_program);
        // Android mini-program: UA marker.
        let d = env(WECHAT_ANDROID_MP).detect();
        assert!(d.wechat && d.wechat_mini_program);
        assert_eq!(d.os, Os::Android);
        // __wxjs_environment outside WeChat means nothing.
        let mut e = env(SAFARI_IOS);
        e.wxjs_environment = Some("miniprogram".into());
        assert!(!e.detect().wechat_mini_program);
    }

    #[test]
    fn wecom_is_not_wechat() {
        let d = env(WECOM).detect();
        assert!(!d.wechat && !d.plain_mobile_browser);
    }

    #[test]
    fn alipay_app_vs_mini_program() {
        let d = env(ALIPAY_ANDROID).detect();
        assert!(d.alipay && !d.alipay_mini_program && !d.wechat && !d.plain_mobile_browser);
        assert!(env(ALIPAY_MP).detect().alipay_mini_program);
        // The `my` web-view SDK inside Alipay also means mini-program.
        let mut e = env(ALIPAY_ANDROID);
        e.has_my_mini_program = true;
        assert!(e.detect().alipay_mini_program);
        // Taobao is an Alibaba app, not Alipay, and not a plain browser either.
        let d = env(TAOBAO).detect();
        assert!(!d.alipay && !d.plain_mobile_browser);
    }

    #[test]
    fn unionpay_and_plain_browsers() {
        let d = env(UNIONPAY_ANDROID).detect();
        assert!(d.unionpay && !d.plain_mobile_browser);
        // A page that loaded upsdk.js in Safari is not Cloud QuickPass.
        let mut e = env(SAFARI_IOS);
        e.has_unionpay_bridge = true;
        assert!(!e.detect().unionpay);
        assert!(env(CHROME_ANDROID).detect().plain_mobile_browser);
        assert!(env(SAFARI_IOS).detect().plain_mobile_browser);
        let d = env(DESKTOP).detect();
        assert!(!d.mobile && !d.plain_mobile_browser && !d.wechat && !d.alipay && !d.unionpay);
        // Empty UA (bots, tests): nothing detected, nothing panics.
        assert!(!env("").detect().mobile);
    }
}
