package selectors

import "testing"

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"The council voted on Thursday to build the lanes, and the mayor said it was a good day for the city.", "en"},
		{"Der Stadtrat hat am Donnerstag beschlossen, die Radwege zu bauen, und die Bürgermeisterin sagte, das sei ein guter Tag für die Stadt.", "de"},
		{"Le conseil municipal a voté jeudi pour construire les pistes, et la maire a dit que c'est une bonne journée pour la ville.", "fr"},
		{"El consejo votó el jueves para construir los carriles, y la alcaldesa dijo que es un buen día para la ciudad y sus vecinos.", "es"},
		{"Il consiglio comunale ha votato giovedì per costruire le piste, e la sindaca ha detto che è una bella giornata per la città.", "it"},
		{"A câmara votou na quinta-feira para construir as ciclovias, e a prefeita disse que não há dia melhor para a cidade e os moradores.", "pt"},
		{"Городской совет в четверг проголосовал за строительство велодорожек, и мэр сказала, что это хороший день для города.", "ru"},
		{"Міська рада в четвер проголосувала за будівництво велодоріжок, і мер сказала, що це гарний день для міста.", "uk"},
		{"市議会は木曜日、自転車専用レーンの建設を承認しました。市長は良い日だと述べました。", "ja"},
		{"市议会周四投票决定修建自行车道，市长表示这是城市的好日子。市民普遍表示欢迎这个决定。", "zh"},
		{"short", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := detectLanguage(tt.text); got != tt.want {
			t.Errorf("detectLanguage(%.30q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
