package dev.switchboard.producer.users;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The users API: list, get, create, update, delete, and a look-up by e-mail that redirects to the user.
 * Locations are built from the request as the proxy forwarded it, so behind {@code /app1} (stripped by the
 * proxy, sent on as X-Forwarded-Prefix) a new user's Location is {@code .../app1/users/7}.
 */
@RestController
@RequestMapping("/users")
public class UserController {
    private final UserRepository users;

    public UserController(UserRepository users) {
        this.users = users;
    }

    @GetMapping
    public List<User> list(@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit,
                           @RequestParam(defaultValue = "0") @Min(0) int offset) {
        return users.findAll(limit, offset);
    }

    @GetMapping("/{id}")
    public User get(@PathVariable long id) {
        return users.findById(id).orElseThrow(() -> new UserNotFoundException(id));
    }

    /** 303 See Other to {@code /users/{id}} of the user with this e-mail address; 404 if none. */
    @GetMapping("/lookup")
    public ResponseEntity<Void> lookup(@RequestParam @NotBlank @Email String email) {
        User user = users.findByEmail(email.strip()).orElseThrow(() -> new UserNotFoundException(email));
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(locationOf(user.id())).build();
    }

    @PostMapping
    public ResponseEntity<User> create(@Valid @RequestBody UserRequest request) {
        User created = users.insert(request);
        return ResponseEntity.created(locationOf(created.id())).body(created);
    }

    @PutMapping("/{id}")
    public User update(@PathVariable long id, @Valid @RequestBody UserRequest request) {
        return users.update(id, request).orElseThrow(() -> new UserNotFoundException(id));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable long id) {
        if (!users.delete(id)) {
            throw new UserNotFoundException(id);
        }
        return ResponseEntity.noContent().build();
    }

    /** {@code <base>/users/{id}}, where base is what the client used: scheme, host, port and prefix. */
    private static URI locationOf(long id) {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/users/{id}").buildAndExpand(id).toUri();
    }
}
