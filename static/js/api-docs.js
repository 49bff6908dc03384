// Swagger UI for /api/v1/docs, served from static/vendor (no CDN, works offline).
// "Try it out" calls go out with the page's CSRF token, so browser-session writes work.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var csrfToken = root.dataset.csrfToken;
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    layout: "BaseLayout",
    presets: [window.SwaggerUIBundle.presets.apis],
    // The validator badge would call validator.swagger.io: nothing leaves this server.
    validatorUrl: null,
    requestInterceptor: function (request) {
      if (csrfToken) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
})();
