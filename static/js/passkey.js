// Passkeys: registration on the security page (#passkey-add, #passkey-name), sign-in on the
// login page (#passkey-sign-in, and autofill on the address field where the browser offers
// it), and the second step (#passkey-second-step). The server sends WebAuthn options as JSON
// with binary values in base64url; this script turns them into what the browser's
// navigator.credentials wants, posts the browser's answer back as JSON (with the page's CSRF
// token in X-CSRF-Token), and then goes where the server says. A failure un-hides
// #passkey-error, with the server's message when it gave one.
"use strict";

(function () {
  function toBuffer(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(list) {
    return (list || []).map(function (item) {
      var copy = Object.assign({}, item);
      copy.id = toBuffer(item.id);
      return copy;
    });
  }

  function creationOptions(json) {
    var options = Object.assign({}, json.publicKey);
    options.challenge = toBuffer(options.challenge);
    options.user = Object.assign({}, options.user, { id: toBuffer(options.user.id) });
    if (options.excludeCredentials) {
      options.excludeCredentials = withIds(options.excludeCredentials);
    }
    return options;
  }

  function requestOptions(json) {
    var options = Object.assign({}, json.publicKey);
    options.challenge = toBuffer(options.challenge);
    if (options.allowCredentials) {
      options.allowCredentials = withIds(options.allowCredentials);
    }
    return options;
  }

  function registration(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: {
        attestationObject: toText(response.attestationObject),
        clientDataJSON: toText(response.clientDataJSON),
        transports: response.getTransports ? response.getTransports() : undefined
      },
      extensions: credential.getClientExtensionResults()
    };
  }

  function assertion(credential) {
    var response = credential.response;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: {
        authenticatorData: toText(response.authenticatorData),
        clientDataJSON: toText(response.clientDataJSON),
        signature: toText(response.signature),
        userHandle: response.userHandle ? toText(response.userHandle) : null
      },
      extensions: credential.getClientExtensionResults()
    };
  }

  // A refusal carries the server's message; anything else shows the page's own.
  function Refusal(message) {
    this.message = message;
  }

  function post(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRF-Token": csrf
      },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().then(
        function (answer) {
          if (!res.ok) {
            throw new Refusal(answer && answer.message);
          }
          return answer;
        },
        function () {
          throw new Refusal(null);
        }
      );
    });
  }

  function showError(error) {
    var box = document.getElementById("passkey-error");
    if (!box) {
      return;
    }
    if (error instanceof Refusal && error.message) {
      box.textContent = error.message;
    }
    box.hidden = false;
  }

  function hideError() {
    var box = document.getElementById("passkey-error");
    if (box) {
      box.hidden = true;
    }
  }

  function supported() {
    return window.PublicKeyCredential && navigator.credentials;
  }

  // The security page: add a passkey under the name typed beside the button.
  function setUpRegistration(button) {
    var base = "/+account/security/passkeys/register/";
    var csrf = button.getAttribute("data-csrf");
    button.addEventListener("click", function () {
      var field = document.getElementById("passkey-name");
      var name = field ? field.value : "";
      hideError();
      button.disabled = true;
      post(base + "begin", csrf, { name: name })
        .then(function (options) {
          return navigator.credentials.create({ publicKey: creationOptions(options) });
        })
        .then(function (credential) {
          return post(base + "finish", csrf, { name: name, credential: registration(credential) });
        })
        .then(function (answer) {
          if (answer.recovery_codes && answer.recovery_codes.length) {
            showRecoveryCodes(answer.recovery_codes, answer.next, button);
          } else {
            location.assign(answer.next);
          }
        })
        .catch(function (error) {
          button.disabled = false;
          showError(error);
        });
    });
  }

  // A first passkey comes with recovery codes: they are shown here, once, and the person goes
  // on when they have stored them.
  function showRecoveryCodes(codes, next, button) {
    var box = document.getElementById("passkey-fresh-codes");
    if (!box) {
      location.assign(next);
      return;
    }
    var list = box.querySelector("ul");
    codes.forEach(function (code) {
      var item = document.createElement("li");
      var text = document.createElement("code");
      text.className = "recovery-code";
      text.textContent = code;
      item.appendChild(text);
      list.appendChild(item);
    });
    document.getElementById("passkey-fresh-continue").setAttribute("href", next);
    var form = button.closest(".passkey-add");
    if (form) {
      form.hidden = true;
    }
    box.hidden = false;
  }

  // The login page: the button, and autofill (conditional mediation) where the browser has it.
  function setUpSignIn(button) {
    var csrf = button.getAttribute("data-csrf");
    var nextField = document.querySelector("form input[name=next]");
    var next = nextField ? nextField.value : null;
    var pending = null;
    var autofillStopped = false;

    function signIn(mediation) {
      var abort = window.AbortController ? new AbortController() : null;
      return post("/+login/passkey/begin", csrf, {})
        .then(function (options) {
          if (mediation && autofillStopped) {
            throw new DOMException("the button was used instead", "AbortError");
          }
          var request = { publicKey: requestOptions(options) };
          if (mediation) {
            request.mediation = mediation;
          }
          if (abort) {
            request.signal = abort.signal;
          }
          var asked = navigator.credentials.get(request);
          return { abort: abort, asked: asked };
        })
        .then(function (started) {
          if (mediation) {
            pending = started.abort;
          }
          return started.asked;
        })
        .then(function (credential) {
          return post("/+login/passkey/finish", csrf, { credential: assertion(credential), next: next });
        })
        .then(function (answer) {
          location.assign(answer.next);
        });
    }

    function stopAutofill() {
      autofillStopped = true;
      if (pending) {
        pending.abort();
        pending = null;
      }
    }

    button.addEventListener("click", function () {
      stopAutofill();
      hideError();
      button.disabled = true;
      signIn(null).catch(function (error) {
        button.disabled = false;
        showError(error);
      });
    });

    if (
      window.PublicKeyCredential.isConditionalMediationAvailable &&
      window.AbortController
    ) {
      window.PublicKeyCredential.isConditionalMediationAvailable()
        .then(function (available) {
          if (available) {
            return signIn("conditional");
          }
          return null;
        })
        .catch(function (error) {
          // Only the server's refusal is news: the browser ends an autofill request without a
          // choice when the button is used, the page is left, or the person declines.
          if (error instanceof Refusal) {
            showError(error);
          }
        });
    }
  }

  // The second-step page: the passkeys of the person whose password was right.
  function setUpSecondStep(button) {
    var base = "/+login/second-step/passkey/";
    var csrf = button.getAttribute("data-csrf");
    button.addEventListener("click", function () {
      hideError();
      button.disabled = true;
      post(base + "begin", csrf, {})
        .then(function (options) {
          return navigator.credentials.get({ publicKey: requestOptions(options) });
        })
        .then(function (credential) {
          return post(base + "finish", csrf, { credential: assertion(credential) });
        })
        .then(function (answer) {
          location.assign(answer.next);
        })
        .catch(function (error) {
          button.disabled = false;
          showError(error);
        });
    });
  }

  function start() {
    var add = document.getElementById("passkey-add");
    var signIn = document.getElementById("passkey-sign-in");
    var step = document.getElementById("passkey-second-step");
    if (!supported()) {
      [add, signIn, step].forEach(function (button) {
        if (button) {
          button.disabled = true;
        }
      });
      return;
    }
    if (add) {
      setUpRegistration(add);
    }
    if (signIn) {
      setUpSignIn(signIn);
    }
    if (step) {
      setUpSecondStep(step);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
