// 验证电子凭证: verify a vc+jwt credential in the browser (WebCrypto Ed25519 against /.well-known/jwks.json)
// and ask the server for its own verdict (signature, validity period and the certificate's status).
(function () {
  "use strict";

  var ACCEPTED_ALGS = ["Ed25519", "EdDSA"];

  function b64urlToBytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var bin = atob(b64);
    var bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }

  function decodeJson(part) {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(b64urlToBytes(part)));
  }

  function show(box, state, title, detail) {
    box.dataset.state = state;
    box.textContent = "";
    var strong = document.createElement("strong");
    strong.className = state === "valid" ? "text-success" : state === "invalid" ? "text-danger" : "text-muted";
    strong.textContent = title;
    box.appendChild(strong);
    if (detail) {
      var p = document.createElement("div");
      p.className = "small text-muted mt-1";
      p.textContent = detail;
      box.appendChild(p);
    }
  }

  function fact(list, label, value) {
    if (!value) return;
    var dt = document.createElement("dt");
    dt.className = "col-4";
    dt.textContent = label;
    var dd = document.createElement("dd");
    dd.className = "col-8";
    dd.textContent = value;
    list.appendChild(dt);
    list.appendChild(dd);
  }

  function showFacts(credential) {
    var list = document.getElementById("credential-facts");
    var json = document.getElementById("credential-json");
    list.textContent = "";
    json.textContent = credential ? JSON.stringify(credential, null, 2) : "";
    if (!credential) return;
    var subject = credential.credentialSubject || {};
    var achievement = subject.achievement || {};
    var holder = (subject.identifier || []).filter(function (i) { return i.identityType === "name"; })[0];
    if ((credential.type || []).indexOf("JinengCreditTranscript") >= 0) {
      var total = 0;
      Object.keys(subject.balance || {}).forEach(function (k) { total += Number(subject.balance[k]) || 0; });
      fact(list, "凭证类别", credential.name);
      fact(list, "持有人", holder ? holder.identityHash : "");
      fact(list, "学分截至", subject.asOf);
      fact(list, "学分合计", total.toFixed(1));
      fact(list, "签发方", credential.issuer ? credential.issuer.name : "");
      fact(list, "签发时间", credential.validFrom);
      return;
    }
    fact(list, "证书类别", credential.name);
    fact(list, "证书编号", subject.licenseNumber);
    fact(list, "持证人", holder ? holder.identityHash : "");
    fact(list, "职业与等级", achievement.name);
    fact(list, "发证机构", achievement.creator ? achievement.creator.name : "");
    fact(list, "签发方", credential.issuer ? credential.issuer.name : "");
    fact(list, "生效时间", credential.validFrom);
  }

  // The browser's own check: structure, algorithm, key from the published JWK Set, Ed25519 signature, dates.
  async function verifyInBrowser(token, jwksUrl) {
    var parts = token.split(".");
    if (parts.length !== 3 || !parts[0] || !parts[1] || !parts[2]) {
      return { ok: false, reason: "malformed", message: "凭证格式不正确（须为三段式紧凑 JWS）。" };
    }
    var header, credential;
    try {
      header = decodeJson(parts[0]);
      credential = decodeJson(parts[1]);
    } catch (e) {
      return { ok: false, reason: "malformed", message: "凭证格式不正确（无法解码）。" };
    }
    if (ACCEPTED_ALGS.indexOf(header.alg) < 0) {
      return { ok: false, reason: "unsupported_alg", message: "不支持的签名算法：" + header.alg, credential: credential };
    }
    var response = await fetch(jwksUrl, { headers: { Accept: "application/json" } });
    var jwks = await response.json();
    var jwk = (jwks.keys || []).filter(function (k) { return k.kid === header.kid; })[0];
    if (!jwk) {
      return { ok: false, reason: "unknown_kid", message: "签名密钥未知（kid 不在平台公布的公钥中）。", credential: credential };
    }
    var key = await crypto.subtle.importKey(
      "jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x }, { name: "Ed25519" }, false, ["verify"]
    );
    var signed = new TextEncoder().encode(parts[0] + "." + parts[1]);
    var good = await crypto.subtle.verify({ name: "Ed25519" }, key, b64urlToBytes(parts[2]), signed);
    if (!good) {
      return { ok: false, reason: "bad_signature", message: "签名无效：凭证内容被篡改或不是本平台签发。", credential: credential };
    }
    var now = new Date();
    if (credential.validFrom && new Date(credential.validFrom) > now) {
      return { ok: false, reason: "not_yet_valid", message: "凭证尚未生效。", credential: credential };
    }
    if (credential.validUntil && new Date(credential.validUntil) < now) {
      return { ok: false, reason: "expired", message: "凭证已过期。", credential: credential };
    }
    return { ok: true, message: "签名有效（密钥 " + header.kid + "）。", credential: credential };
  }

  async function verifyOnServer(token, apiUrl) {
    var response = await fetch(apiUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ credential: token }),
    });
    return { status: response.status, body: await response.json() };
  }

  async function run(form) {
    var token = document.getElementById("credential-input").value.replace(/\s+/g, "");
    var browserBox = document.getElementById("browser-result");
    var serverBox = document.getElementById("server-result");
    if (!token) {
      show(browserBox, "invalid", "请先粘贴凭证。");
      return;
    }
    show(browserBox, "busy", "验证中…");
    show(serverBox, "busy", "验证中…");
    try {
      var local = await verifyInBrowser(token, form.dataset.jwks);
      show(browserBox, local.ok ? "valid" : "invalid", local.ok ? "浏览器验证通过" : "浏览器验证未通过", local.message);
      showFacts(local.credential);
    } catch (e) {
      show(browserBox, "invalid", "浏览器无法完成验证", String(e && e.message ? e.message : e));
    }
    try {
      var remote = await verifyOnServer(token, form.dataset.verifyApi);
      if (remote.status !== 200) {
        show(serverBox, "invalid", "服务器未能验证", remote.body.message || "");
      } else {
        var cert = remote.body.certificate;
        var detail = remote.body.message + (cert ? "（" + cert.number + "，" + cert.holder + "）" : "");
        show(serverBox, remote.body.valid ? "valid" : "invalid",
          remote.body.valid ? "服务器验证通过" : "服务器验证未通过", detail);
      }
    } catch (e) {
      show(serverBox, "invalid", "服务器验证失败", String(e && e.message ? e.message : e));
    }
  }

  function readFile(input, done) {
    var file = input.files && input.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () { done(String(reader.result || "")); };
    reader.readAsText(file);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("credential-form");
    if (!form) return;
    var input = document.getElementById("credential-input");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(form);
    });
    document.getElementById("credential-file").addEventListener("change", function (event) {
      readFile(event.target, function (text) {
        input.value = text.trim();
        run(form);
      });
    });
    // Scanning a QR code of a credential: only where the browser has a barcode detector.
    if ("BarcodeDetector" in window) {
      var label = document.getElementById("credential-scan-label");
      label.classList.remove("d-none");
      document.getElementById("credential-image").addEventListener("change", async function (event) {
        var file = event.target.files && event.target.files[0];
        if (!file) return;
        try {
          var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          var codes = await detector.detect(await createImageBitmap(file));
          if (codes.length) {
            input.value = codes[0].rawValue.trim();
            run(form);
          } else {
            show(document.getElementById("browser-result"), "invalid", "图片中没有识别到二维码。");
          }
        } catch (e) {
          show(document.getElementById("browser-result"), "invalid", "无法识别二维码", String(e));
        }
      });
    }
    var fromHash = new URLSearchParams(window.location.hash.slice(1)).get("credential");
    if (fromHash) {
      input.value = fromHash;
      run(form);
    }
  });
})();
