package io.sessioncluster.examples.boot;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;

/** The page behind the login ({@link SecurityConfiguration}): whom the session belongs to, and which node answered. */
@RestController
class AccountController {

    private final String node;

    AccountController(@Value("${demo.node:${random.uuid}}") String node) {
        this.node = node;
    }

    @GetMapping("/account")
    String account(Principal user, @RequestParam(name = "tab", defaultValue = "profile") String tab) {
        return node + ": " + user.getName() + " (" + tab + ")";
    }
}
